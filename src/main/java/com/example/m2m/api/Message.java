package com.example.m2m.api;

/** The small JSON answer of the message endpoints: {@code {"message": "..."}}. */
public record Message(String message) {
}

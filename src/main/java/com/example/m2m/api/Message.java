package com.example.m2m.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The small JSON answer of the message endpoints: {@code {"message": "..."}}. Registered for reflection so that the
 * native image keeps what Jackson needs.
 */
@RegisterForReflection
public record Message(String message) {
}

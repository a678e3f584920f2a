package com.example.m2m.registration;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code POST /api/clients}: {@code {"label": "billing-batch", "scopes": ["read:messages"]}}. */
@RegisterForReflection
public record NewClientRequest(String label, List<String> scopes) {
}

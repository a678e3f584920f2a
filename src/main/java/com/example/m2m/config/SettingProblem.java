package com.example.m2m.config;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A setting that stops start-up, thrown from the config interceptors ({@link SettingsCheck},
 * {@link IssuerSettingCheck}, {@link AudienceSettingCheck}, {@link IssuerList}). SmallRye Config reports a failure
 * while it maps a property by the exception's {@code toString()}, which would put the class name before the sentence;
 * this one is the sentence alone. No stack trace: it is an answer to the operator, not an error in the service.
 */
public class SettingProblem extends ConfigurationException {

    private static final long serialVersionUID = 1L;

    public SettingProblem(String sentence) {
        super(sentence);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}

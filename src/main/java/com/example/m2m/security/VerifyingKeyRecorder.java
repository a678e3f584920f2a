package com.example.m2m.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwt.consumer.Validator;

import io.quarkus.arc.Unremovable;

/**
 * Notes, for {@link VerifiedTokenCache}, which key verified a token's signature: the RFC 7638 thumbprint of the key
 * jose4j used, read from inside Quarkus' verification (a jose4j {@link Validator} runs after the signature check, with
 * the key still on the JWS). Never refuses anything; the rules in {@code security.rules} do that.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class VerifyingKeyRecorder implements Validator {

    @Inject
    VerifiedTokenCache verifiedTokens;

    @Override
    public String validate(JwtContext context) {
        if (verifiedTokens.enabled() && context.getJoseObjects().size() == 1
                && context.getJoseObjects().get(0) instanceof JsonWebSignature jws) {
            String thumbprint = KeyThumbprint.of(jws.getKey());
            if (thumbprint != null) {
                verifiedTokens.noteVerifyingKey(context.getJwt(), thumbprint);
            }
        }
        return null;
    }
}

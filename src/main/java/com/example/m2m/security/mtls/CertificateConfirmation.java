package com.example.m2m.security.mtls;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.security.KeyBindingAugmentor;
import com.example.m2m.security.TokenFailure;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/**
 * The certificate binding of one request (RFC 8705 section 3), as the mechanism's confirm stage asks for it: the
 * token's {@code cnf.x5t#S256} recorded on its identity ({@link KeyBindingAugmentor}) against the certificate the
 * request presented ({@link PresentedCertificate}). A token bound to nothing passes unless
 * CERTIFICATE_BOUND_TOKENS_REQUIRED (a DPoP-bound token is sender-constrained already, and passes).
 */
@ApplicationScoped
public class CertificateConfirmation {

    @ConfigProperty(name = "api.mtls.bound-tokens-required")
    boolean required;

    /** Null when the request may go on; else the refusal (401 invalid_token, Bearer challenge). */
    public TokenFailure check(HttpServerRequest request, SecurityIdentity identity) {
        String bound = identity.getAttribute(KeyBindingAugmentor.BOUND_CERTIFICATE);
        if (bound == null && !required) {
            return null; // the common case: no thumbprint computed
        }
        boolean keyBound = identity.getAttribute(KeyBindingAugmentor.BOUND_KEY) != null;
        return CertificateBinding.check(bound, bound == null ? null : PresentedCertificate.thumbprintOf(request),
                required, keyBound);
    }
}

package com.example.m2m.security.mtls;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.security.KeyBindingAugmentor;
import com.example.m2m.security.TokenFailure;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/**
 * The certificate binding of one request (RFC 8705 section 3), as the mechanism's confirm stage asks for it: the
 * token's {@code cnf.x5t#S256} recorded on its identity ({@link KeyBindingAugmentor}) against the certificate the
 * request presented ({@link PresentedCertificate}, or behind a declared proxy {@link ForwardedCertificate}). A token bound to nothing passes unless
 * CERTIFICATE_BOUND_TOKENS_REQUIRED (a DPoP-bound token is sender-constrained already, and passes).
 */
@ApplicationScoped
public class CertificateConfirmation {

    @ConfigProperty(name = "api.mtls.bound-tokens-required")
    boolean required;

    private final ForwardedCertificate forwarded;

    @Inject
    CertificateConfirmation(@ConfigProperty(name = "api.mtls.forwarded-header") Optional<String> header,
            @ConfigProperty(name = "api.mtls.proxies") Optional<String> proxies) {
        // A bad CLIENT_CERT_PROXIES stopped start-up already (config/SettingsCheck); none declared, none believed.
        this.forwarded = new ForwardedCertificate(header.orElse(null),
                proxies.map(ProxyAddresses::parse).orElse(ProxyAddresses.NONE));
    }

    /** Null when the request may go on; else the refusal (401 invalid_token, Bearer challenge). */
    public TokenFailure check(HttpServerRequest request, SecurityIdentity identity) {
        String bound = identity.getAttribute(KeyBindingAugmentor.BOUND_CERTIFICATE);
        if (bound == null && !required) {
            return null; // the common case: no thumbprint computed
        }
        boolean keyBound = identity.getAttribute(KeyBindingAugmentor.BOUND_KEY) != null;
        return CertificateBinding.check(bound, bound == null ? null : presented(request), required, keyBound);
    }

    /**
     * The certificate this request presented: from a declared proxy, the one its header forwards (the connection's own
     * certificate, if any, is the proxy's); from anyone else, the connection's, whatever headers it sent.
     */
    String presented(HttpServerRequest request) {
        return forwarded.fromProxy(request) ? forwarded.thumbprintOf(request)
                : PresentedCertificate.thumbprintOf(request);
    }
}

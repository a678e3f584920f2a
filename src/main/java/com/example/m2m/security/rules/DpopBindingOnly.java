package com.example.m2m.security.rules;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.m2m.security.mtls.CertificateBinding;

import io.quarkus.arc.Unremovable;

/**
 * RFC 9449 section 6.1 and RFC 8705 section 3: a token bound to a key carries {@code cnf}. The confirmations this
 * service can check are a DPoP key thumbprint, {@code "cnf": {"jkt": "<base64url SHA-256>"}} (the proof's key must
 * match it: {@code security.dpop.KeyBinding}), and a client certificate thumbprint, {@code "cnf": {"x5t#S256": ...}}
 * (the request's certificate must match it: {@code security.mtls.CertificateBinding}). Exactly one of them: RFC 7800
 * section 3.1 says a {@code cnf} represents a single proof-of-possession key, and a token naming two would leave the
 * API to pick which one to hold its sender to. Any other {@code cnf} (a {@code jwk}, both, an empty or malformed one)
 * cannot be checked, and a token whose binding cannot be checked is usable by whoever steals it: refused. Members that
 * are not confirmation methods may stand beside: Keycloak adds {@code "kc-jkt-type": "DPoP"}.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class DpopBindingOnly extends TokenRule {

    /** An RFC 7638 SHA-256 thumbprint: 32 bytes in base64url without padding. */
    private static final int THUMBPRINT_LENGTH = 43;
    /** The other confirmation methods in the IANA registry (RFC 7800, RFC 8705, RFC 9203): none can be checked here. */
    private static final Set<String> OTHER_METHODS = Set.of("jwk", "jwe", "kid", "jku", "osc");

    @Override
    protected RuleViolation check(Token token) {
        Map<String, Object> claims = token.claims().getClaimsMap();
        if (!claims.containsKey("cnf")) {
            return null;
        }
        // Present at all, even as null, it must be exactly one thumbprint: a DPoP key's or a certificate's.
        return claims.get("cnf") instanceof Map<?, ?> cnf && checkable(cnf)
                && cnf.keySet().stream().noneMatch(OTHER_METHODS::contains) ? null : RuleViolation.UNCHECKABLE_BINDING;
    }

    /** One checkable confirmation, well formed: {@code jkt} or {@code x5t#S256}, not both. */
    static boolean checkable(Map<?, ?> cnf) {
        boolean key = cnf.containsKey("jkt");
        boolean certificate = cnf.containsKey(CertificateBinding.MEMBER);
        return key != certificate && (key ? isThumbprint(cnf.get("jkt"))
                : CertificateBinding.isThumbprint(cnf.get(CertificateBinding.MEMBER)));
    }

    static boolean isThumbprint(Object jkt) {
        return jkt instanceof String text && text.length() == THUMBPRINT_LENGTH
                && text.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }
}

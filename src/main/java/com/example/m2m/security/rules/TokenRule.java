package com.example.m2m.security.rules;

import java.util.List;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwt.consumer.Validator;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/**
 * One rule an access token must follow beyond what Quarkus OIDC checks itself (signature, {@code iss}, {@code aud},
 * {@code exp}, {@code nbf}). Each rule is a jose4j {@link Validator} bean: Quarkus OIDC runs every such bean inside its
 * own verification ({@code OidcProvider} registers them with its {@code JwtConsumer}), after the signature has been
 * checked and beside jose4j's claim checks, so a token that breaks a rule is refused exactly like an expired one and
 * never reaches the verified-token cache.
 * <p>
 * A rule answers with a {@link RuleViolation}, which travels inside jose4j's error list as a fixed marker string
 * and comes back out as the caller-safe reason in {@code TokenFailure}: nothing of the token is ever quoted.
 */
public abstract class TokenRule implements Validator {

    /** The rule's verdict on a token whose signature has been verified: null when the token follows it. */
    protected abstract RuleViolation check(Token token) throws MalformedClaimException;

    @Override
    public final String validate(JwtContext context) throws MalformedClaimException {
        List<JsonWebStructure> layers = context.getJoseObjects();
        if (layers.size() != 1 || !(layers.get(0) instanceof JsonWebSignature jws)) {
            // A nested or encrypted token: not an access token this API takes (RFC 9068 tokens are one JWS).
            return RuleViolation.NOT_A_SIGNED_JWT.marker();
        }
        RuleViolation violation = check(new Token(context.getJwt(), jws, context.getJwtClaims()));
        return violation == null ? null : violation.marker();
    }

    /** What a rule may look at: the token as sent, its (verified) JWS with its header, and its claims. */
    public record Token(String compact, JsonWebSignature jws, JwtClaims claims) {

        /** A header value as JSON gave it (a String, Number, Boolean, List or Map), or null. */
        public Object header(String name) {
            return jws.getHeaders().getObjectHeaderValue(name);
        }

        /**
         * Whether the header has this member at all, even with the value {@code null}. jose4j's headers say only
         * whether a member has a non-null value; parsing the header again to tell "null" from "absent" cost every
         * first-sight token 32 KiB (jose4j's JSON parser allocates its 16 K-char buffer per parse), so the header is
         * parsed again only when the member's name is written in it, quoted, or the header has an escape (a name may
         * be written with them).
         */
        public boolean hasHeader(String name) {
            if (header(name) != null) {
                return true;
            }
            String json = jws.getHeaders().getFullHeaderAsJsonString();
            if (json.indexOf('\\') < 0 && !json.contains("\"" + name + "\"")) {
                return false;
            }
            try {
                return JsonUtil.parseJson(json).containsKey(name);
            } catch (JoseException e) {
                return true; // unreadable: assume the worst
            }
        }
    }
}

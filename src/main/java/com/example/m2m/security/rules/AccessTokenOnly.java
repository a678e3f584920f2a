package com.example.m2m.security.rules;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

/**
 * An ID token is not an access token, even when it is signed by the right issuer and its {@code aud} matches: OIDC
 * Core section 2 makes an ID token's audience the client it was issued to, so where the API's identifier is a client
 * id (Entra ID v2.0, where {@code aud} is the API's application id) or the audience check is off (Cognito), a
 * user's ID token would otherwise open the API. Refused when the token says what it is:
 * <ul>
 * <li>{@code token_use} other than {@code access} (Cognito marks every token it issues:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html);</li>
 * <li>{@code nonce}, {@code at_hash} or {@code c_hash}: claims OIDC Core sections 2 and 3.3.2.11 define for ID
 * tokens only; no access token of a client-credentials grant has them.</li>
 * </ul>
 * Always on: no provider's access token has them, so nothing is lost where the audience is checked too.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class AccessTokenOnly extends TokenRule {

    static final List<String> ID_TOKEN_CLAIMS = List.of("nonce", "at_hash", "c_hash");

    @Override
    protected RuleViolation check(Token token) {
        Map<String, Object> claims = token.claims().getClaimsMap();
        Object use = claims.get("token_use");
        if (use != null && !"access".equals(use)) {
            return RuleViolation.NOT_AN_ACCESS_TOKEN;
        }
        for (String claim : ID_TOKEN_CLAIMS) {
            if (claims.containsKey(claim)) {
                return RuleViolation.NOT_AN_ACCESS_TOKEN;
            }
        }
        return null;
    }
}

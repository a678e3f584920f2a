package com.example.m2m.check;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import com.example.m2m.config.IssuerList;
import com.example.m2m.security.CallerClaims;
import com.example.m2m.security.ScopePrefixAugmentor;
import com.example.m2m.security.rules.RuleViolation;
import com.example.m2m.security.rules.TokenRule;

/**
 * The caller's token held against the service's settings, one finding per check, with the token's claim beside the
 * setting it is compared with: issuer, signature and key, audience, lifetime, each of the service's token rules (the
 * very {@link TokenRule} beans Quarkus runs inside its verification), client id and scopes. The service's own
 * verdict on the token comes from calling it ({@link ServiceVerdict}); these lines say why, and what to change.
 */
public final class TokenFindings {

    /** The service's settings these checks compare with, as the service reads them. */
    public record Settings(List<String> audience, boolean audienceCheck, List<String> allowedClients,
            String defaultScope, List<String> scopeClaims, String scopePrefix, String testClientId,
            long clockSkewSeconds, boolean introspection, boolean rfc9068) {
    }

    /** Claims that carry scopes at some provider, beside those {@code SCOPE_CLAIMS} names (Auth0's RBAC: permissions). */
    private static final List<String> SCOPE_CARRIERS = List.of("scope", "scp", "roles", "permissions");

    private static final Set<String> MICROSOFT_GRAPH = Set.of("https://graph.microsoft.com",
            "00000003-0000-0000-c000-000000000000", "https://graph.windows.net", "00000002-0000-0000-c000-000000000000");

    private final Settings settings;
    private final List<IssuerMetadata> issuers;
    private final Function<String, String> fetch;
    private final Collection<TokenRule> rules;
    private final List<Finding> findings = new ArrayList<>();

    /**
     * @param fetch reads a URL's body (the key set), null when it cannot
     */
    public TokenFindings(Settings settings, List<IssuerMetadata> issuers, Function<String, String> fetch,
            Collection<TokenRule> rules) {
        this.settings = settings;
        this.issuers = issuers;
        this.fetch = fetch;
        this.rules = rules;
    }

    public List<Finding> check(String token, Instant now) {
        JwtContext unverified;
        try {
            unverified = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().setRelaxVerificationKeyValidation().build().process(token);
        } catch (InvalidJwtException e) {
            findings.add(settings.introspection()
                    ? Finding.note("format", "an opaque token (not a JWT): the service asks the issuer about it"
                            + " (INTROSPECTION_CLIENT_ID)")
                    : Finding.fail("format", "an opaque token (not a JWT): the service verifies JWTs and introspects"
                            + " nothing", "INTROSPECTION_CLIENT_ID", "have the provider issue JWTs for this API"
                                    + " (Auth0 does with TEST_CLIENT_AUDIENCE), or let the service introspect opaque"
                                    + " tokens: INTROSPECTION_CLIENT_ID, INTROSPECTION_CLIENT_SECRET"));
            return findings;
        }
        JwtClaims claims = unverified.getJwtClaims();
        Map<String, Object> all = claims.getClaimsMap();
        JsonWebSignature jws = (JsonWebSignature) unverified.getJoseObjects().get(0);
        findings.add(Finding.note("claims", summary(all, jws)));
        IssuerMetadata issuer = issuer(all.get("iss"));
        JwtContext verified = issuer == null ? null : signature(token, jws, issuer);
        audience(all.get("aud"));
        lifetime(all, now);
        rules(verified);
        client(claims);
        scopes(all);
        return findings;
    }

    private static String summary(Map<String, Object> claims, JsonWebSignature jws) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("typ", jws.getHeader("typ"));
        shown.put("alg", jws.getAlgorithmHeaderValue());
        shown.put("kid", jws.getKeyIdHeaderValue());
        for (String name : List.of("iss", "aud", "client_id", "azp", "appid", "cid", "sub", "scope", "scp", "roles",
                "permissions", "token_use", "ver")) {
            if (claims.containsKey(name)) {
                shown.put(name, claims.get(name));
            }
        }
        shown.values().removeIf(v -> v == null);
        return "the token's header and claims: " + shown.toString().replaceAll("^\\{|}$", "");
    }

    /** The listed issuer whose URL or declared issuer is the token's {@code iss}, as the service routes tokens. */
    private IssuerMetadata issuer(Object iss) {
        List<String> listed = issuers.stream().map(IssuerMetadata::listed).toList();
        if (!(iss instanceof String name)) {
            findings.add(Finding.fail("issuer", "the token has no iss claim", null,
                    "the token is not one the issuer made for an API"));
            return null;
        }
        String key = IssuerList.withoutTrailingSlash(name);
        for (IssuerMetadata candidate : issuers) {
            if (IssuerList.withoutTrailingSlash(candidate.listed()).equals(key)
                    || candidate.declaredIssuer().map(IssuerList::withoutTrailingSlash).filter(key::equals).isPresent()) {
                findings.add(Finding.ok("issuer", "iss \"" + name + "\" is ISSUER " + candidate.listed()
                        + (candidate.listed().equals(name) ? "" : " (as its discovery document declares)")));
                return candidate;
            }
        }
        if (name.startsWith("https://sts.windows.net/") && listed.stream().anyMatch(l -> l.endsWith("/v2.0"))) {
            // https://learn.microsoft.com/en-us/entra/identity-platform/reference-microsoft-graph-app-manifest
            findings.add(Finding.fail("issuer", "iss \"" + name + "\": a v1.0 token, while ISSUER is the v2.0 issuer "
                    + listed, "ISSUER", "set \"accessTokenAcceptedVersion\": 2 in the API app's manifest (tokens"
                            + " then carry the v2.0 issuer), or take v1.0 tokens too: add the v1.0 issuer"
                            + " https://login.microsoftonline.com/<tenant> to ISSUER"));
        } else {
            findings.add(Finding.fail("issuer", "iss \"" + name + "\" is not ISSUER " + listed, "ISSUER",
                    "set ISSUER=" + name + " if the service should take this issuer's tokens"));
        }
        return null;
    }

    /** The signature, with the keys the issuer publishes; the context with its key set for the rules, or null. */
    private JwtContext signature(String token, JsonWebSignature jws, IssuerMetadata issuer) {
        String jwksUri = issuer.member("jwks_uri").orElse(null);
        String body = jwksUri == null ? null : fetch.apply(jwksUri);
        if (body == null) {
            findings.add(Finding.fail("signature", "the issuer's keys could not be read" + (jwksUri == null ? ""
                    : " at " + jwksUri), "ISSUER", "check that ISSUER's discovery document names a jwks_uri that"
                            + " answers"));
            return null;
        }
        List<JsonWebKey> keys;
        try {
            keys = new JsonWebKeySet(body).getJsonWebKeys();
        } catch (JoseException e) {
            findings.add(Finding.fail("signature", jwksUri + " is not a JWK set", "ISSUER", "check ISSUER"));
            return null;
        }
        String kid = jws.getKeyIdHeaderValue();
        try {
            JwtContext verified = new JwtConsumerBuilder().setSkipAllValidators().setRelaxVerificationKeyValidation()
                    .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys)).build().process(token);
            findings.add(Finding.ok("signature", jws.getAlgorithmHeaderValue() + ", verified with the key"
                    + (kid == null ? "" : " \"" + kid + "\"") + " published at " + jwksUri));
            return verified;
        } catch (InvalidJwtException e) {
            boolean unknownKey = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                unknownKey |= t instanceof UnresolvableKeyException;
            }
            if (!unknownKey) {
                findings.add(Finding.fail("signature", "the signature does not verify with the key the issuer"
                        + " publishes" + (kid == null ? "" : " as \"" + kid + "\""), "ISSUER",
                        "the token was not signed by this issuer: check ISSUER"));
            } else if (jws.getHeaders().getObjectHeaderValue("nonce") != null) {
                // https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#validate-tokens
                findings.add(Finding.fail("signature", "key \"" + kid + "\" is not published at " + jwksUri
                        + ", and the header has a nonce: a token for Microsoft Graph, which only Graph can verify",
                        "TEST_CLIENT_SCOPE", "ask for a token for your API: TEST_CLIENT_SCOPE=<Application ID URI>/.default"));
            } else {
                findings.add(Finding.fail("signature", "key " + (kid == null ? "(no kid)" : "\"" + kid + "\"")
                        + " with " + jws.getAlgorithmHeaderValue() + " is not among the keys published at " + jwksUri,
                        "ISSUER", "the token comes from another server than ISSUER names (an Okta org server's"
                                + " tokens are signed with keys only Okta verifies): get it from ISSUER's token endpoint"));
            }
            return null;
        }
    }

    private void audience(Object aud) {
        List<String> audiences = aud instanceof String one ? List.of(one)
                : aud instanceof List<?> many ? many.stream().map(String::valueOf).toList() : List.of();
        if (!settings.audienceCheck()) {
            findings.add(Finding.note("audience", "not checked (AUDIENCE_CHECK=false); the token's aud: "
                    + (audiences.isEmpty() ? "none" : audiences) + "; ALLOWED_CLIENTS decides who is served"));
            return;
        }
        List<String> expected = settings.audience();
        if (expected.contains("any")) {
            findings.add(Finding.note("audience", "any audience accepted (AUDIENCE=any)"));
            return;
        }
        if (audiences.stream().anyMatch(expected::contains)) {
            findings.add(Finding.ok("audience", "aud " + audiences + " contains AUDIENCE " + expected));
            return;
        }
        String found = "aud " + (audiences.isEmpty() ? "none" : audiences) + " does not contain AUDIENCE " + expected;
        if (audiences.isEmpty()) {
            // https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
            findings.add(Finding.fail("audience", found, "AUDIENCE_CHECK", "the provider puts no aud in access tokens"
                    + " (Cognito): set AUDIENCE_CHECK=false and ALLOWED_CLIENTS=<the client ids to serve>"));
        } else if (audiences.stream().anyMatch(MICROSOFT_GRAPH::contains)) {
            findings.add(Finding.fail("audience", found + ": a token for Microsoft Graph, not for this API",
                    "TEST_CLIENT_RESOURCE", "ask for a token for your API: TEST_CLIENT_RESOURCE=<Application ID URI>"
                            + " at Entra ID's v1.0 endpoint, TEST_CLIENT_SCOPE=<Application ID URI>/.default at v2.0"));
        } else if (audiences.stream().anyMatch(TokenFindings::isGuid)
                && expected.stream().anyMatch(a -> a.startsWith("api://"))) {
            // https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference (aud)
            findings.add(Finding.fail("audience", found + ": Entra ID's v2.0 tokens name the API by its application"
                    + " (client) id, not its Application ID URI", "AUDIENCE", "set AUDIENCE="
                            + audiences.stream().filter(TokenFindings::isGuid).findFirst().orElseThrow()));
        } else {
            findings.add(Finding.fail("audience", found, "AUDIENCE", (audiences.size() == 1
                    ? "set AUDIENCE=" + audiences.get(0) + " if that names this API"
                    : "set AUDIENCE to the one of " + audiences + " that names this API")
                    + "; else ask the provider for a token for " + expected.get(0)
                    + " (TEST_CLIENT_AUDIENCE, TEST_CLIENT_RESOURCE or TEST_CLIENT_SCOPE, as the provider wants)"));
        }
    }

    private static boolean isGuid(String value) {
        return value.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }

    /** Just issued, a token's times say how far the clocks are apart. */
    private void lifetime(Map<String, Object> claims, Instant now) {
        long seconds = now.getEpochSecond();
        Long exp = number(claims.get("exp"));
        Long iat = number(claims.get("iat"));
        Long nbf = number(claims.get("nbf"));
        String fix = "set the clocks right (NTP) on this machine and the issuer's";
        if (exp == null) {
            findings.add(Finding.fail("lifetime", "the token has no exp: the service refuses tokens without an"
                    + " expiry", null, "configure the provider to issue expiring access tokens"));
        } else if (exp <= seconds) {
            findings.add(Finding.fail("lifetime", "expired " + (seconds - exp) + " s ago by this machine's clock,"
                    + " though just issued: the clocks differ", null, fix));
        } else if (iat != null && iat > seconds + settings.clockSkewSeconds()) {
            findings.add(Finding.fail("lifetime", "issued " + (iat - seconds) + " s in the future by this machine's"
                    + " clock (allowed: " + settings.clockSkewSeconds() + " s): the clocks differ", null, fix));
        } else if (nbf != null && nbf > seconds) {
            findings.add(Finding.fail("lifetime", "not valid for another " + (nbf - seconds) + " s (nbf) by this"
                    + " machine's clock: the clocks differ", null, fix));
        } else {
            findings.add(Finding.ok("lifetime", (iat == null ? "" : "issued " + Math.max(0, seconds - iat)
                    + " s ago, ") + "expires in " + (exp - seconds) + " s"));
        }
    }

    private static Long number(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }

    /** Each of the service's own token rules, on the token as verified (their key checks need the verified key). */
    private void rules(JwtContext verified) {
        if (verified == null) {
            findings.add(Finding.note("rules", "not checked: the signature was not verified"));
            return;
        }
        List<String> passed = new ArrayList<>();
        List<TokenRule> sorted = rules.stream()
                .sorted(Comparator.comparing(r -> ruleName(r))).toList();
        for (TokenRule rule : sorted) {
            String marker;
            try {
                marker = rule.validate(verified);
            } catch (Exception e) {
                findings.add(Finding.fail("rules", ruleName(rule) + ": " + RuleViolation.MALFORMED_CLAIM.description(),
                        null, "the provider's tokens have a claim of the wrong JSON type"));
                continue;
            }
            RuleViolation violation = marker == null ? null : RuleViolation.fromMarker(marker);
            if (violation == null) {
                passed.add(ruleName(rule));
            } else {
                findings.add(ruleFinding(ruleName(rule), violation, verified));
            }
        }
        if (!passed.isEmpty()) {
            findings.add(Finding.ok("rules", String.join(", ", passed)));
        }
    }

    private static String ruleName(TokenRule rule) {
        String name = rule.getClass().getSimpleName();
        int proxy = name.indexOf('_');
        return proxy > 0 ? name.substring(0, proxy) : name;
    }

    private Finding ruleFinding(String rule, RuleViolation violation, JwtContext token) {
        String found = rule + ": " + violation.description();
        return switch (violation) {
            case CLIENT_NOT_ALLOWED -> Finding.fail("client", found, "ALLOWED_CLIENTS", "add "
                    + Optional.ofNullable(CallerClaims.clientId(token.getJwtClaims()::getClaimValue)).orElse("its client id")
                    + " to ALLOWED_CLIENTS (now " + settings.allowedClients() + ")");
            case NOT_RFC9068, MISSING_RFC9068_CLAIM -> Finding.fail("type", found, "REQUIRE_RFC9068",
                    "have the provider issue RFC 9068 tokens (Auth0: the API's token dialect rfc9068_profile), or"
                            + " set REQUIRE_RFC9068=false");
            case ISSUED_IN_FUTURE -> Finding.fail("lifetime", found, null,
                    "set the clocks right (NTP) on this machine and the issuer's");
            case WRONG_TYPE, NOT_AN_ACCESS_TOKEN -> Finding.fail("type", found, null,
                    "the provider gave an ID token or another kind of token: the service takes access tokens only");
            default -> Finding.fail("rules", found, null, "the provider's tokens break a rule the service"
                    + " enforces (its class comment in security/rules says why)");
        };
    }

    private void client(JwtClaims claims) {
        String client = CallerClaims.clientId(claims::getClaimValue);
        if (client == null) {
            findings.add(Finding.note("client", "the token names no client (client_id, azp, appid, cid or sub)"));
        } else if (settings.testClientId() != null && !settings.testClientId().equals(client)
                && !client.equals(settings.testClientId() + "@clients")) {
            findings.add(Finding.note("client", "the token names client \"" + client + "\", not TEST_CLIENT_ID \""
                    + settings.testClientId() + "\""));
        } else {
            findings.add(Finding.ok("client", "client \"" + client + "\""));
        }
    }

    /** The scopes as the service reads them ({@code SCOPE_CLAIMS}, {@code SCOPE_PREFIX}), and what is amiss. */
    private void scopes(Map<String, Object> claims) {
        Set<String> raw = new LinkedHashSet<>();
        settings.scopeClaims().forEach(name -> raw.addAll(values(claims.get(name))));
        Set<String> effective = new LinkedHashSet<>(raw);
        String prefix = settings.scopePrefix();
        if (prefix != null && !prefix.isEmpty()) {
            effective.addAll(ScopePrefixAugmentor.unprefixed(raw, prefix)); // as the service reads them
        }
        String wanted = settings.defaultScope();
        String claimNames = String.join(",", settings.scopeClaims());
        if (effective.contains(wanted)) {
            findings.add(Finding.ok("scopes", effective + " from " + claimNames + ", with DEFAULT_SCOPE " + wanted));
            return;
        }
        for (String carrier : SCOPE_CARRIERS) {
            if (!settings.scopeClaims().contains(carrier) && values(claims.get(carrier)).contains(wanted)) {
                findings.add(Finding.fail("scopes", "DEFAULT_SCOPE " + wanted + " is in the claim " + carrier
                        + ", which SCOPE_CLAIMS (" + claimNames + ") does not name", "SCOPE_CLAIMS",
                        "set SCOPE_CLAIMS=" + carrier));
                return;
            }
        }
        Optional<String> prefixed = raw.stream().filter(s -> s.endsWith(wanted) && s.length() > wanted.length())
                .findFirst();
        if (prefixed.isPresent()) {
            String found = prefixed.get().substring(0, prefixed.get().length() - wanted.length());
            findings.add(Finding.fail("scopes", "the token carries \"" + prefixed.get() + "\", not DEFAULT_SCOPE "
                    + wanted + ": the provider names scopes with a prefix", "SCOPE_PREFIX", "set SCOPE_PREFIX="
                            + found));
            return;
        }
        findings.add(Finding.fail("scopes", "the token does not carry DEFAULT_SCOPE " + wanted + " (its scopes: "
                + (raw.isEmpty() ? "none" : raw) + ", from " + claimNames + ")", "DEFAULT_SCOPE",
                "grant " + wanted + " to the client at the provider, or set DEFAULT_SCOPE to a scope it has"));
    }

    private static List<String> values(Object claim) {
        if (claim instanceof String text) {
            return List.of(text.trim().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();
        }
        if (claim instanceof Collection<?> many) {
            return many.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}

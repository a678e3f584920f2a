package com.example.m2m.security.dpop;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

import io.vertx.core.http.HttpServerRequest;

/**
 * Checks the DPoP proof of a request that sent its token as {@code Authorization: DPoP} (RFC 9449 section 4.3, and
 * section 11.1's replay check), on every such request: a verified-token cache hit skips the token's verification,
 * never the proof's. Answers the proof key's RFC 7638 thumbprint, which the token's {@code cnf.jkt} must equal
 * ({@link KeyBinding}).
 * <p>
 * Why not Quarkus' own DPoP support ({@code quarkus.oidc.token.authorization-scheme=DPoP}): it checks the proof inside
 * the token's verification, which a cache hit skips; it needs a tenant per scheme to take Bearer and DPoP at once (a
 * second discovery and JWKS for the same issuer); it has no {@code iat} window and no replay check; and it logs a
 * WARN per bad proof. jose4j (already Quarkus' JWT library) parses and verifies; the rules are {@link ProofRules}.
 */
@ApplicationScoped
public class DpopProofs {

    public static final String HEADER = "DPoP";

    /** The outcome: the proof key's thumbprint, or why the proof was refused. */
    public record Checked(String keyThumbprint, ProofViolation violation) {

        static Checked refused(ProofViolation violation) {
            return new Checked(null, violation);
        }
    }

    private static final AlgorithmConstraints ALGORITHMS = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, ProofRules.ALGORITHMS.toArray(String[]::new));

    private final ReplayCache replays;
    private final long windowSeconds;
    private final Clock clock;

    @Inject
    public DpopProofs(ReplayCache replays, @ConfigProperty(name = "api.dpop.proof-window-seconds") long windowSeconds) {
        this(replays, windowSeconds, Clock.systemUTC());
    }

    DpopProofs(ReplayCache replays, long windowSeconds, Clock clock) {
        this.replays = replays;
        this.windowSeconds = windowSeconds;
        this.clock = clock;
    }

    /** The checks in the order of section 4.3; the replay check last, so that only proofs valid otherwise are kept. */
    public Checked check(HttpServerRequest request, String token) {
        List<String> headers = request.headers().getAll(HEADER);
        ProofViolation violation = ProofRules.oneProofHeader(headers);
        if (violation == null) {
            violation = ProofRules.compactJws(headers.get(0));
        }
        if (violation != null) {
            return Checked.refused(violation);
        }
        return check(headers.get(0), request.method().name(), request.absoluteURI(), token);
    }

    Checked check(String compact, String method, String requestUri, String token) {
        try {
            JsonWebSignature proof = new JsonWebSignature();
            proof.setCompactSerialization(compact);
            proof.setAlgorithmConstraints(ALGORITHMS);
            ProofViolation violation = first(ProofRules.explicitType(proof), ProofRules.asymmetricAlgorithm(proof),
                    ProofRules.publicKeyOnly(proof.getHeaders().getObjectHeaderValue("jwk")));
            if (violation != null) {
                return Checked.refused(violation);
            }
            PublicJsonWebKey key = proof.getJwkHeader();
            violation = ProofRules.keyFitsAlgorithm(key, proof.getAlgorithmHeaderValue());
            if (violation != null) {
                return Checked.refused(violation);
            }
            proof.setKey(key.getPublicKey());
            if (!proof.verifySignature()) {
                return Checked.refused(ProofViolation.BAD_SIGNATURE);
            }
            Map<String, Object> claims = JsonUtil.parseJson(proof.getUnverifiedPayload());
            Object jti = claims.get("jti");
            Object htm = claims.get("htm");
            Object htu = claims.get("htu");
            Object iat = claims.get("iat");
            Object ath = claims.get("ath");
            violation = ProofRules.requiredClaims(jti, htm, htu, iat, ath);
            if (violation == null) {
                violation = first(ProofRules.methodMatches((String) htm, method),
                        ProofRules.uriMatches((String) htu, requestUri),
                        ProofRules.issuedWithinWindow((Number) iat, clock.millis() / 1000, windowSeconds),
                        ProofRules.tokenHashMatches((String) ath, token));
            }
            if (violation != null) {
                return Checked.refused(violation);
            }
            String thumbprint = key.calculateBase64urlEncodedThumbprint("SHA-256");
            return switch (replays.firstUse(thumbprint, (String) jti, ((Number) iat).longValue())) {
                case FIRST -> new Checked(thumbprint, null);
                case REPLAY -> Checked.refused(ProofViolation.REPLAYED);
                case FULL -> Checked.refused(ProofViolation.TOO_MANY_PROOFS);
            };
        } catch (JoseException | RuntimeException e) {
            // Unparseable JSON, base64url, a JWK jose4j cannot read, a crit header it does not know: not a proof.
            return Checked.refused(ProofViolation.MALFORMED);
        }
    }

    private static ProofViolation first(ProofViolation... verdicts) {
        for (ProofViolation verdict : verdicts) {
            if (verdict != null) {
                return verdict;
            }
        }
        return null;
    }
}

package com.example.m2m.security.dpop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignatureAlgorithm;
import org.jose4j.lang.JoseException;

import com.example.m2m.security.crypto.SignatureLength;
import com.example.m2m.security.crypto.SignatureProviders;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

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
 * WARN per bad proof. jose4j (already Quarkus' JWT library) parses the JSON, reads the key and verifies the
 * signature, on the provider {@link SignatureProviders} chose: the JDK's ECDSA cost about 0.9 ms an ES256 proof on
 * Java 17, ACCP about 0.05 ms (docs/performance.md, issue 25); the rules are {@link ProofRules}.
 * <p>
 * A client signs every proof with the same key, so every proof it sends has the same header (typ, alg, jwk): what the
 * header rules decide, the key it carries and that key's thumbprint are remembered per encoded header (a bounded
 * cache), and a proof costs its signature check and its claims. Measured in docs/performance.md ("DPoP").
 * <p>
 * Its segments are decoded with the JDK's base64url decoder and its claims parsed with Jackson, not jose4j's: jose4j's
 * decoder starts each decoding with an 8 KiB buffer and its JSON parser with a 16 K-character one, which made two thirds
 * of a DPoP request's allocation (issue 25, {@code WORKLOAD=dpop bench/alloc-profile.sh}). Both are stricter than
 * jose4j's where it matters here: a character outside the base64url alphabet, a member given twice, anything after the
 * object are refused, where jose4j skips the character and refuses only the duplicate.
 */
@ApplicationScoped
public class DpopProofs {

    public static final String HEADER = "DPoP";

    /**
     * The outcome: the proof key's thumbprint and what identifies the proof to the other pods' replay check
     * ({@link SharedReplays}: the digest of key and {@code jti}, and until when the proof is acceptable); or why the
     * proof was refused.
     */
    public record Checked(String keyThumbprint, ProofViolation violation, String replayKey, long acceptedUntilMillis,
            String jti, long issuedAtSeconds) {

        static Checked refused(ProofViolation violation) {
            return new Checked(null, violation, null, 0, null, 0);
        }
    }

    /** What a proof header says, once its rules passed: the algorithm, the key and its thumbprint; or the violation. */
    record ProofKey(JsonWebSignatureAlgorithm algorithm, PublicKey key, String thumbprint, ProofViolation violation) {

        static ProofKey refused(ProofViolation violation) {
            return new ProofKey(null, null, null, violation);
        }
    }

    private static final int HEADER_CACHE_SIZE = 1_000;

    /** The claims of a proof: a JSON object, each member once (RFC 7515 section 5.2), nothing after it. */
    private static final ObjectReader CLAIMS = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build().readerFor(Map.class);

    private final ReplayCache replays;
    private final SignatureProviders providers;
    private final long windowSeconds;
    private final Clock clock;
    private final Cache<String, ProofKey> headers = Caffeine.newBuilder().maximumSize(HEADER_CACHE_SIZE)
            .executor(Runnable::run).build();

    @Inject
    public DpopProofs(ReplayCache replays, SignatureProviders providers,
            @ConfigProperty(name = "api.dpop.proof-window-seconds") long windowSeconds) {
        this(replays, providers, windowSeconds, Clock.systemUTC());
    }

    DpopProofs(ReplayCache replays, long windowSeconds, Clock clock) {
        this(replays, new SignatureProviders("jdk"), windowSeconds, clock);
    }

    DpopProofs(ReplayCache replays, SignatureProviders providers, long windowSeconds, Clock clock) {
        this.replays = replays;
        this.providers = providers;
        this.windowSeconds = windowSeconds;
        this.clock = clock;
    }

    /**
     * The checks in the order of section 4.3, and whether the proof was already used here. Records nothing: a proof is
     * recorded ({@link #record}) only once its token was verified and bound to the proof's key, so that requests
     * with forged tokens cannot fill the replay memory and lock honest callers out.
     */
    public Checked check(HttpServerRequest request, String token) {
        List<String> values = request.headers().getAll(HEADER);
        ProofViolation violation = ProofRules.oneProofHeader(values);
        if (violation != null) {
            return Checked.refused(violation);
        }
        return check(values.get(0), request.method().name(), request.absoluteURI(), token);
    }

    Checked check(String compact, String method, String requestUri, String token) {
        ProofViolation shape = ProofRules.compactJws(compact);
        if (shape != null) {
            return Checked.refused(shape);
        }
        int headerEnd = compact.indexOf('.');
        int payloadEnd = compact.indexOf('.', headerEnd + 1);
        try {
            ProofKey key = headers.get(compact.substring(0, headerEnd), DpopProofs::readHeader);
            if (key.violation() != null) {
                return Checked.refused(key.violation());
            }
            byte[] signature = Base64.getUrlDecoder().decode(compact.substring(payloadEnd + 1));
            byte[] signedPart = compact.substring(0, payloadEnd).getBytes(StandardCharsets.US_ASCII);
            // The length first: providers differ on the others (SignatureLength); then the chosen provider's check.
            if (!SignatureLength.fits(key.key(), signature) || !key.algorithm().verifySignature(signature, key.key(),
                    signedPart, providers.forAlgorithm(key.algorithm().getAlgorithmIdentifier()))) {
                return Checked.refused(ProofViolation.BAD_SIGNATURE);
            }
            Map<String, Object> claims = CLAIMS.readValue(new String(
                    Base64.getUrlDecoder().decode(compact.substring(headerEnd + 1, payloadEnd)), StandardCharsets.UTF_8));
            Object jti = claims.get("jti");
            Object htm = claims.get("htm");
            Object htu = claims.get("htu");
            Object iat = claims.get("iat");
            ProofViolation violation = ProofRules.requiredClaims(jti, htm, htu, iat, claims.get("ath"));
            if (violation == null) {
                violation = first(ProofRules.methodMatches((String) htm, method),
                        ProofRules.uriMatches((String) htu, requestUri),
                        ProofRules.issuedWithinWindow((Number) iat, clock.millis() / 1000, windowSeconds),
                        ProofRules.tokenHashMatches((String) claims.get("ath"), token));
            }
            if (violation != null) {
                return Checked.refused(violation);
            }
            if (replays.seen(key.thumbprint(), (String) jti)) {
                return Checked.refused(ProofViolation.REPLAYED); // early: no verification for a known replay
            }
            long issuedAt = ((Number) iat).longValue();
            return new Checked(key.thumbprint(), null, ReplayCache.key(key.thumbprint(), (String) jti),
                    (issuedAt + windowSeconds + 1) * 1000, (String) jti, issuedAt);
        } catch (IOException | JoseException | RuntimeException e) {
            // Unparseable JSON or base64url, a signature of the wrong form: not a proof.
            return Checked.refused(ProofViolation.MALFORMED);
        }
    }

    /**
     * Records a checked proof whose token was verified and is bound to the proof's key (RFC 9449 section 11.1: a
     * {@code jti} is used once): null the first time, {@link ProofViolation#REPLAYED} when it was used before (two
     * requests with one proof at once: one of them), {@link ProofViolation#TOO_MANY_PROOFS} when the memory is full
     * (only callers holding valid bound tokens can fill it).
     */
    public ProofViolation record(Checked proof) {
        return switch (replays.firstUse(proof.keyThumbprint(), proof.jti(), proof.issuedAtSeconds())) {
            case FIRST -> null;
            case REPLAY -> ProofViolation.REPLAYED;
            case FULL -> ProofViolation.TOO_MANY_PROOFS;
        };
    }

    /** The header's rules (points 4, 5, 7 and the key's fit), once per distinct header. */
    static ProofKey readHeader(String encodedHeader) {
        try {
            Map<String, Object> header = JsonUtil.parseJson(
                    new String(Base64.getUrlDecoder().decode(encodedHeader), StandardCharsets.UTF_8));
            Object jwk = header.get("jwk");
            ProofViolation violation = first(ProofRules.explicitType(header), ProofRules.asymmetricAlgorithm(header),
                    ProofRules.noCriticalExtensions(header), ProofRules.publicKeyOnly(jwk));
            if (violation != null) {
                return ProofKey.refused(violation);
            }
            @SuppressWarnings("unchecked")
            PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk((Map<String, Object>) jwk);
            String alg = (String) header.get("alg");
            violation = ProofRules.keyFitsAlgorithm(key, alg);
            if (violation != null) {
                return ProofKey.refused(violation);
            }
            JsonWebSignatureAlgorithm algorithm = AlgorithmFactoryFactory.getInstance()
                    .getJwsAlgorithmFactory().getAlgorithm(alg);
            algorithm.validateVerificationKey(key.getPublicKey());
            return new ProofKey(algorithm, key.getPublicKey(), key.calculateBase64urlEncodedThumbprint("SHA-256"), null);
        } catch (JoseException | RuntimeException e) {
            // Not JSON, a JWK jose4j cannot read, a key jose4j will not verify with: not a proof.
            return ProofKey.refused(ProofViolation.MALFORMED);
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

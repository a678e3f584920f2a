package com.example.m2m.security.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;

/** The checks in order, on proofs made here; every way a proof can be wrong is in the shared hostile list too. */
class DpopProofsTest {

    private static final long NOW = 1_800_000_000L;
    private static final String URI = "https://api.example/api/messages";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYWxsZXIifQ.c2ln";

    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private final ReplayCache replays = new ReplayCache(1_000, 60, clock, Ticker.disabledTicker());
    private final DpopProofs proofs = new DpopProofs(replays, 60, clock);
    private final KeyPair key = ecKey();

    private static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String proof(String jti, long iat, String ath) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setJwtId(jti);
        claims.setStringClaim("htm", "GET");
        claims.setStringClaim("htu", URI);
        claims.setClaim("iat", iat);
        claims.setStringClaim("ath", ath);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", "dpop+jwt");
        jws.setAlgorithmHeaderValue("ES256");
        jws.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(key.getPublic()));
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivate());
        return jws.getCompactSerialization();
    }

    /** A proof signed over this payload as written (no library rewrites it). */
    private String proofOfPayload(String payloadJson) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", "dpop+jwt");
        jws.setAlgorithmHeaderValue("ES256");
        jws.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(key.getPublic()));
        jws.setPayload(payloadJson);
        jws.setKey(key.getPrivate());
        return jws.getCompactSerialization();
    }

    private String thumbprint() throws Exception {
        return PublicJsonWebKey.Factory.newPublicJwk(key.getPublic()).calculateBase64urlEncodedThumbprint("SHA-256");
    }

    @Test
    void aValidProofGivesItsKeyThumbprint() throws Exception {
        DpopProofs.Checked checked = proofs.check(proof("a", NOW, ProofRules.tokenHash(TOKEN)), "GET", URI, TOKEN);
        assertNull(checked.violation());
        assertEquals(thumbprint(), checked.keyThumbprint());
    }

    @Test
    void aProofIsAcceptedOnce() throws Exception {
        String proof = proof("once", NOW, ProofRules.tokenHash(TOKEN));
        DpopProofs.Checked first = proofs.check(proof, "GET", URI, TOKEN);
        assertNull(first.violation());
        assertNull(proofs.record(first));
        // Once recorded, refused before anything else; and recorded twice (two requests at once), the second loses.
        assertEquals(ProofViolation.REPLAYED, proofs.check(proof, "GET", URI, TOKEN).violation());
        assertEquals(ProofViolation.REPLAYED, proofs.record(first));
    }

    /** Checking records nothing: only a proof whose token verified and is bound to its key is recorded. */
    @Test
    void aCheckedProofIsNotRememberedUntilRecorded() throws Exception {
        String proof = proof("unrecorded", NOW, ProofRules.tokenHash(TOKEN));
        assertNull(proofs.check(proof, "GET", URI, TOKEN).violation());
        assertNull(proofs.check(proof, "GET", URI, TOKEN).violation());
        assertEquals(0, replays.size());
    }

    @Test
    void aProofRefusedForAnotherReasonIsNotRemembered() throws Exception {
        // Wrong ath first: refused for that, and the jti stays unused for the right request.
        assertEquals(ProofViolation.WRONG_TOKEN_HASH,
                proofs.check(proof("j", NOW, ProofRules.tokenHash("other")), "GET", URI, TOKEN).violation());
        assertEquals(0, replays.size());
        assertNull(proofs.check(proof("j", NOW, ProofRules.tokenHash(TOKEN)), "GET", URI, TOKEN).violation());
    }

    @Test
    void theWindowIsTheSetting() throws Exception {
        String ath = ProofRules.tokenHash(TOKEN);
        assertNull(proofs.check(proof("old", NOW - 60, ath), "GET", URI, TOKEN).violation());
        assertEquals(ProofViolation.NOT_FRESH, proofs.check(proof("older", NOW - 61, ath), "GET", URI, TOKEN).violation());
        DpopProofs narrow = new DpopProofs(replays, 5, clock);
        assertEquals(ProofViolation.NOT_FRESH, narrow.check(proof("n", NOW - 6, ath), "GET", URI, TOKEN).violation());
    }

    @Test
    void theRequestMustBeTheOneTheProofNames() throws Exception {
        String ath = ProofRules.tokenHash(TOKEN);
        assertEquals(ProofViolation.WRONG_METHOD, proofs.check(proof("m", NOW, ath), "POST", URI, TOKEN).violation());
        assertEquals(ProofViolation.WRONG_URI,
                proofs.check(proof("u", NOW, ath), "GET", URI + "/other", TOKEN).violation());
        assertNull(proofs.check(proof("q", NOW, ath), "GET", URI + "?page=2", TOKEN).violation(), "the query is ignored");
    }

    @Test
    void aFullReplayCacheRefusesTheProof() throws Exception {
        DpopProofs tiny = new DpopProofs(new ReplayCache(1, 60, clock, Ticker.disabledTicker()), 60, clock);
        String ath = ProofRules.tokenHash(TOKEN);
        assertNull(tiny.record(tiny.check(proof("1", NOW, ath), "GET", URI, TOKEN)));
        DpopProofs.Checked second = tiny.check(proof("2", NOW, ath), "GET", URI, TOKEN);
        assertNull(second.violation(), "checking does not look at the memory's room");
        assertEquals(ProofViolation.TOO_MANY_PROOFS, tiny.record(second));
    }

    @Test
    void claimsAreOneJsonObjectEachMemberOnce() throws Exception {
        String ath = ProofRules.tokenHash(TOKEN);
        String claims = "\"htm\":\"GET\",\"htu\":\"" + URI + "\",\"iat\":" + NOW + ",\"ath\":\"" + ath + "\"";
        assertNull(proofs.check(proofOfPayload("{\"jti\":\"j1\"," + claims + "}"), "GET", URI, TOKEN).violation());
        // Which jti would count? Refused rather than guessed (RFC 7515 section 5.2, RFC 8725 section 3.8-style).
        assertEquals(ProofViolation.MALFORMED, proofs.check(
                proofOfPayload("{\"jti\":\"j2\",\"jti\":\"j3\"," + claims + "}"), "GET", URI, TOKEN).violation());
        assertEquals(ProofViolation.MALFORMED, proofs.check(
                proofOfPayload("{\"jti\":\"j4\"," + claims + "}{}"), "GET", URI, TOKEN).violation());
        assertEquals(ProofViolation.MALFORMED, proofs.check(
                proofOfPayload("[{\"jti\":\"j5\"," + claims + "}]"), "GET", URI, TOKEN).violation());
    }

    @Test
    void aSignatureWithACharacterOutsideBase64UrlIsNoSignature() throws Exception {
        String proof = proof("sig", NOW, ProofRules.tokenHash(TOKEN));
        int signature = proof.lastIndexOf('.') + 1;
        // A lenient decoder skips the '*' and verifies the same signature: a second spelling of one proof.
        String spelledAgain = proof.substring(0, signature + 10) + "*" + proof.substring(signature + 10);
        assertEquals(ProofViolation.MALFORMED, proofs.check(spelledAgain, "GET", URI, TOKEN).violation());
        assertNull(proofs.check(proof, "GET", URI, TOKEN).violation());
    }
}

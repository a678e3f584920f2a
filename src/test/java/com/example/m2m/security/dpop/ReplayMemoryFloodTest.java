package com.example.m2m.security.dpop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;
import com.example.m2m.testsupport.TokenForge;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import io.vertx.core.json.JsonObject;

/**
 * The DPoP replay memory cannot be filled by a stranger. With room for 50 proofs, 60 requests each with a fresh,
 * well-formed proof by the attacker's own key and a forged token bound to that key are refused, and then an honest
 * caller with a real bound token and a fresh proof is served: a proof is recorded only once its token verified and
 * is bound to its key. (Before, each forged request recorded its proof, and the honest caller got
 * {@code dpop_proof_replay_cache_full}.) Verified callers still fill it: the memory's bound holds.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(ReplayMemoryFloodTest.SmallMemory.class)
public class ReplayMemoryFloodTest {

    public static class SmallMemory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DPOP_REPLAY_CACHE_SIZE", "50", "TOKEN_FAILURE_BUDGET", "off");
        }
    }

    private static final String PATH = "/api/messages/protected";

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Test
    void forgedTokensWithFreshProofsDoNotLockOutAnHonestCaller() {
        TokenForge forge = new TokenForge(issuer, null);
        LocalIssuer.SigningKey notTheIssuers = LocalIssuer.newKeyFast(issuer.currentKey().kid());
        // The attacker's bound token: right claims, bound to its own key "other", signed with a key the issuer does not
        // publish (under the issuer's kid).
        JsonObject claims = forge.claims().put("cnf", new JsonObject().put("jkt", TokenForge.thumbprint(forge.dpopKey("other"))));
        for (int i = 0; i < 60; i++) {
            String forged = TokenForge.signEncoded(TokenForge.b64(forge.header().encode()),
                    TokenForge.b64(claims.put("jti", "forged-" + i).encode()), notTheIssuers.pair().getPrivate());
            given().header("Authorization", "DPoP " + forged)
                    .header("DPoP", forge.proof(forge.proofHeader("other"), TokenForge.proofClaims(PATH, forged), "other"))
                    .when().get(PATH).then().statusCode(401)
                    .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        }
        String honest = forge.boundToken("ec");
        given().header("Authorization", "DPoP " + honest)
                .header("DPoP", forge.proof(forge.proofHeader("ec"), TokenForge.proofClaims(PATH, honest), "ec"))
                .when().get(PATH).then().statusCode(200);
    }

    @Test
    void aRecordedProofIsStillAReplay() {
        TokenForge forge = new TokenForge(issuer, null);
        String honest = forge.boundToken("ec");
        String proof = forge.proof(forge.proofHeader("ec"), TokenForge.proofClaims(PATH, honest), "ec");
        given().header("Authorization", "DPoP " + honest).header("DPoP", proof).when().get(PATH).then().statusCode(200);
        given().header("Authorization", "DPoP " + honest).header("DPoP", proof).when().get(PATH).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_dpop_proof\""));
    }
}

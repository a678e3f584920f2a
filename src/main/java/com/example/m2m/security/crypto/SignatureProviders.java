package com.example.m2m.security.crypto;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.base64url.Base64Url;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignatureAlgorithm;

/**
 * Which JCA provider verifies a JWS signature of each family, for the checks this service makes itself (DPoP proofs):
 * with {@code CRYPTO_PROVIDER=auto} the first of {@link FastProvider} that loads here and verifies a known signature
 * correctly, else the JDK's, said in one log line; with {@code jdk} the JDK's. Why: an ES256 proof cost about 0.9 ms
 * with the JDK's ECDSA on Java 17 and cannot be cached (docs/performance.md, issue 25).
 * <p>
 * The provider is passed per verification (a jose4j {@link ProviderContext}), never installed first in the JDK's
 * list: TLS and everything else keep the JDK's providers.
 */
@ApplicationScoped
public class SignatureProviders {

    private static final Logger LOG = Logger.getLogger(SignatureProviders.class);
    /** The JDK's: no provider named. */
    static final ProviderContext JDK = new ProviderContext();

    /** RFC 7515 appendix A.3: an ES256 JWS and its key, to see that a provider verifies what it should, before use. */
    private static final String KNOWN_JWS = "eyJhbGciOiJFUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    private static final Map<String, Object> KNOWN_KEY = Map.of("kty", "EC", "crv", "P-256",
            "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");

    private final String chosen;
    private final ProviderContext ecdsa;
    private final ProviderContext rsa;

    @Inject
    public SignatureProviders(@ConfigProperty(name = "api.crypto.provider") String setting) {
        this("jdk".equalsIgnoreCase(setting.strip()) ? List.of() : List.of(FastProvider.values()));
    }

    /** The first of {@code candidates} that loads and verifies correctly, else the JDK's. */
    public SignatureProviders(List<FastProvider> candidates) {
        this(candidates, FastProvider::load);
    }

    /** Loads a candidate, or throws why it cannot (a seam for the tests of the fallback). */
    @FunctionalInterface
    interface Loader {
        void load(FastProvider candidate) throws Exception;
    }

    SignatureProviders(List<FastProvider> candidates, Loader loader) {
        StringBuilder failures = new StringBuilder();
        FastProvider found = null;
        for (FastProvider candidate : candidates) {
            try {
                loader.load(candidate);
                verifiesCorrectly(candidate.providerName);
                found = candidate;
                break;
            } catch (Exception | LinkageError e) {
                failures.append("; ").append(candidate.providerName).append(" did not load: ").append(e);
            }
        }
        chosen = found == null ? "JDK" : found.providerName;
        ecdsa = found == null ? JDK : naming(found.providerName);
        rsa = found == null || !found.fasterRsa ? JDK : ecdsa;
        if (candidates.isEmpty()) {
            LOG.info("Signature verification (DPoP proofs): the JDK's providers (CRYPTO_PROVIDER=jdk)");
        } else {
            LOG.infof("Signature verification (DPoP proofs): ECDSA with %s, RSA with %s%s",
                    found == null ? "the JDK's" : chosen, rsa == JDK ? "the JDK's" : chosen, failures);
        }
    }

    /** The provider verifying ECDSA signatures: a provider's name, or {@code JDK}. */
    public String chosen() {
        return chosen;
    }

    /** The context to verify a signature of {@code algorithm} with ({@code ES*}, {@code RS*}, {@code PS*}). */
    public ProviderContext forAlgorithm(String algorithm) {
        return algorithm.startsWith("ES") ? ecdsa : algorithm.startsWith("RS") ? rsa : JDK;
    }

    static ProviderContext naming(String providerName) {
        ProviderContext context = new ProviderContext();
        context.getSuppliedKeyProviderContext().setSignatureProvider(providerName);
        context.getGeneralProviderContext().setSignatureProvider(providerName);
        return context;
    }

    /** Accepts the known signature and refuses it over other bytes, or throws. */
    private static void verifiesCorrectly(String providerName) throws Exception {
        PublicKey key = PublicJsonWebKey.Factory.newPublicJwk(KNOWN_KEY).getPublicKey();
        JsonWebSignatureAlgorithm es256 = AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory()
                .getAlgorithm("ES256");
        int end = KNOWN_JWS.lastIndexOf('.');
        byte[] signed = KNOWN_JWS.substring(0, end).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = Base64Url.decode(KNOWN_JWS.substring(end + 1));
        ProviderContext context = naming(providerName);
        if (!es256.verifySignature(signature, key, signed, context)) {
            throw new IllegalStateException("refused a valid signature");
        }
        signed[signed.length - 1] ^= 1;
        if (es256.verifySignature(signature, key, signed, context)) {
            throw new IllegalStateException("accepted a signature over other bytes");
        }
    }
}

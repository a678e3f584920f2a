package com.example.m2m.security.crypto;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jws.JsonWebSignatureAlgorithm;

/**
 * Not a test (no timed tests in the build): run once by hand to compare the signature providers on the path the DPoP
 * check takes (jose4j's verifySignature with a ProviderContext), same process, rounds interleaved, medians reported.
 * docs/performance.md, issue 25, says how and gives the numbers.
 * <p>
 * {@code java -cp target/test-classes:<jose4j, bcprov, ACCP, slf4j jars> com.example.m2m.security.crypto.SignatureVerifyBench [rounds] [ms per round]}
 */
public final class SignatureVerifyBench {

    private static final int MESSAGES = 64;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long roundMillis = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        List<String> providers = new ArrayList<>(List.of("JDK"));
        for (String className : List.of("org.bouncycastle.jce.provider.BouncyCastleProvider",
                "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")) {
            try {
                Provider provider = (Provider) Class.forName(className).getConstructor().newInstance();
                Security.addProvider(provider); // last: only used where named
                providers.add(provider.getName());
            } catch (ReflectiveOperationException | LinkageError e) {
                System.out.println("not loaded: " + className + ": " + e);
            }
        }
        System.out.println("java " + System.getProperty("java.version") + " " + System.getProperty("java.vm.name")
                + ", providers " + providers);
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("ES256", new Case("ES256", ecKeys(), MESSAGES));
        cases.put("RS256", new Case("RS256", rsaKeys(), MESSAGES));
        Map<String, List<Double>> micros = new LinkedHashMap<>();
        for (Case c : cases.values()) {
            for (String provider : providers) {
                c.run(provider, 200_000_000L); // warm-up: 200 ms each, checks the signatures verify
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (Case c : cases.values()) {
                for (String provider : providers) {
                    micros.computeIfAbsent(c.alg + " " + provider, k -> new ArrayList<>())
                            .add(c.run(provider, roundMillis * 1_000_000L));
                }
            }
        }
        for (Map.Entry<String, List<Double>> e : micros.entrySet()) {
            double[] values = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("%-36s median %8.1f us/verify   rounds %s%n", e.getKey(), values[values.length / 2],
                    Arrays.toString(Arrays.stream(values).map(v -> Math.round(v * 10) / 10.0).toArray()));
        }
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** One algorithm: MESSAGES signed inputs and their JWS signatures, signed by the JDK. */
    private static final class Case {
        final String alg;
        final KeyPair keys;
        final JsonWebSignatureAlgorithm algorithm;
        final byte[][] inputs;
        final byte[][] signatures;

        Case(String alg, KeyPair keys, int count) throws Exception {
            this.alg = alg;
            this.keys = keys;
            this.algorithm = AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm(alg);
            inputs = new byte[count][];
            signatures = new byte[count][];
            for (int i = 0; i < count; i++) {
                inputs[i] = ("eyJ0eXAiOiJkcG9wK2p3dCJ9.message-" + i + "-" + System.nanoTime())
                        .getBytes(StandardCharsets.US_ASCII);
                signatures[i] = algorithm.sign(algorithm.prepareForSign(keys.getPrivate(), new ProviderContext()),
                        inputs[i]);
            }
        }

        /** Verifies for about {@code nanos}; answers microseconds per verification. */
        double run(String provider, long nanos) throws Exception {
            ProviderContext context = new ProviderContext();
            if (!provider.equals("JDK")) {
                context.getSuppliedKeyProviderContext().setSignatureProvider(provider);
            }
            long start = System.nanoTime();
            long count = 0;
            while (System.nanoTime() - start < nanos) {
                for (int i = 0; i < inputs.length; i++) {
                    if (!algorithm.verifySignature(signatures[i], keys.getPublic(), inputs[i], context)) {
                        throw new IllegalStateException(alg + " " + provider + " refused a good signature");
                    }
                }
                count += inputs.length;
            }
            return (System.nanoTime() - start) / 1000.0 / count;
        }
    }
}

package com.example.m2m.security.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The choice of provider: the first that loads, else the JDK's in one log line, never a failure; and the setting. */
class SignatureProvidersTest {

    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger logger = Logger.getLogger(SignatureProviders.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
    }

    @Test
    void autoTakesTheFastestThatLoadsHere() {
        SignatureProviders providers = new SignatureProviders("auto");
        // This machine (x86-64, glibc, on the JVM) loads Amazon Corretto Crypto Provider: ECDSA and RSA both on it.
        assertEquals("AmazonCorrettoCryptoProvider", providers.chosen());
        assertEquals("AmazonCorrettoCryptoProvider", signatureProvider(providers, "ES256"));
        assertEquals("AmazonCorrettoCryptoProvider", signatureProvider(providers, "RS256"));
        assertNull(signatureProvider(providers, "PS256"), "RSASSA-PSS stays on the JDK's");
        assertEquals(1, logged.size());
    }

    @Test
    void bouncyCastleIsForEcdsaOnly() {
        SignatureProviders providers = new SignatureProviders(List.of(FastProvider.BC));
        assertEquals("BC", signatureProvider(providers, "ES384"));
        assertNull(signatureProvider(providers, "RS256"), "no faster than the JDK's for RSA");
    }

    @Test
    void aProviderThatCannotLoadFallsBackToTheNextInOneLine() {
        SignatureProviders providers = new SignatureProviders(List.of(FastProvider.ACCP, FastProvider.BC), candidate -> {
            if (candidate == FastProvider.ACCP) {
                throw new UnsatisfiedLinkError("no libamazonCorrettoCryptoProvider for this CPU");
            }
            candidate.load();
        });
        assertEquals("BC", providers.chosen());
        assertEquals(1, logged.size());
        assertTrue(logged.get(0).getMessage().contains("AmazonCorrettoCryptoProvider did not load")
                && logged.get(0).getMessage().contains("this CPU"), logged.get(0).getMessage());
    }

    @Test
    void noneLoadsMeansTheJdksNeverAFailure() {
        SignatureProviders providers = new SignatureProviders(List.of(FastProvider.values()), candidate -> {
            throw new ClassNotFoundException(candidate.className);
        });
        assertEquals("JDK", providers.chosen());
        assertSame(SignatureProviders.JDK, providers.forAlgorithm("ES256"));
        assertSame(SignatureProviders.JDK, providers.forAlgorithm("RS256"));
        assertEquals(1, logged.size());
    }

    @Test
    void theSettingJdkTurnsTheChoiceOff() {
        SignatureProviders providers = new SignatureProviders("jdk");
        assertEquals("JDK", providers.chosen());
        assertSame(SignatureProviders.JDK, providers.forAlgorithm("ES256"));
        assertEquals(1, logged.size());
    }

    @Test
    void aLoadedProviderComesLastInTheJdksList() throws Exception {
        FastProvider.BC.load();
        java.security.Provider[] all = Security.getProviders();
        assertTrue(all.length > 1 && !all[0].getName().equals("BC"), "the JDK's providers stay first");
        // What names no provider still gets the JDK's, TLS included.
        assertTrue(!java.security.Signature.getInstance("SHA256withECDSA").getProvider().getName().equals("BC"));
        assertTrue(!javax.net.ssl.SSLContext.getDefault().getProvider().getName().startsWith("BC"));
    }

    private static String signatureProvider(SignatureProviders providers, String alg) {
        return providers.forAlgorithm(alg).getSuppliedKeyProviderContext().getSignatureProvider();
    }
}

package com.example.m2m.security.crypto;

import java.security.Provider;
import java.security.Security;

/**
 * A JCA provider that verifies signatures faster than the JDK's, and which families it is faster for (measured in
 * docs/performance.md, issue 25). Loading one registers it last in {@link Security}'s list, so nothing that asks for
 * an algorithm without naming a provider (TLS, the JDK, Quarkus) gets it instead of the JDK's; only a jose4j
 * {@code ProviderContext} that names it ({@link SignatureProviders}) uses it.
 */
public enum FastProvider {

    /**
     * Amazon Corretto Crypto Provider (AWS-LC through JNI): ES256 about 18x and RS256 about 1.5x the JDK's on Java 17.
     * Ships a native library for x86-64 glibc Linux only and cannot run in a native image; the jar is not in the
     * native build at all (pom.xml).
     */
    ACCP("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider", "AmazonCorrettoCryptoProvider", true),
    /**
     * Bouncy Castle: pure Java, loads everywhere, the native executable included (registered there by
     * {@code quarkus.security.security-providers=BC}). ECDSA about 4x the JDK's on Java 17 (1.6x on Java 25); RSA no
     * faster than the JDK's, so RSA stays on the JDK's.
     */
    BC("org.bouncycastle.jce.provider.BouncyCastleProvider", "BC", false);

    final String className;
    final String providerName;
    /** Whether RSA signatures are faster here than with the JDK's provider (ECDSA always is). */
    final boolean fasterRsa;

    FastProvider(String className, String providerName, boolean fasterRsa) {
        this.className = className;
        this.providerName = providerName;
        this.fasterRsa = fasterRsa;
    }

    /** The name it registers under, as a jose4j {@code ProviderContext} names it. */
    public String providerName() {
        return providerName;
    }

    /**
     * Registers the provider (last) unless it is registered already (by Quarkus, or by an earlier application in the
     * same JVM: a JNI library loads in one class loader only, so a second instance must not be made). Throws whatever
     * loading it threw: a missing class, a native library that does not load on this CPU or libc, a failed self-test.
     */
    void load() throws ReflectiveOperationException {
        if (Security.getProvider(providerName) != null) {
            return;
        }
        Provider provider = (Provider) Class.forName(className, true, FastProvider.class.getClassLoader())
                .getConstructor().newInstance();
        if (provider.getService("Signature", "SHA256withECDSA") == null) {
            // ACCP constructs without its native library and then offers nothing; it keeps the reason.
            throw new IllegalStateException(providerName + " offers no ECDSA here");
        }
        Security.addProvider(provider);
    }
}

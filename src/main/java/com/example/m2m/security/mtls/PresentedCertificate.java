package com.example.m2m.security.mtls;

import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.vertx.core.http.HttpServerRequest;

/**
 * The thumbprint of the client certificate a request presented on its TLS connection (the API's port with
 * {@code TLS_CERT_FILE}: client certificates requested, {@code quarkus.http.ssl.client-auth=request}, and accepted only
 * when they chain to {@code TLS_CLIENT_CA_FILE}), or null: plain HTTP, or no certificate presented.
 */
public final class PresentedCertificate {

    private PresentedCertificate() {
    }

    public static String thumbprintOf(HttpServerRequest request) {
        if (!request.isSSL()) {
            return null;
        }
        SSLSession session = request.sslSession();
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length == 0 ? null : CertificateBinding.thumbprint(chain[0].getEncoded());
        } catch (SSLPeerUnverifiedException e) {
            return null; // no certificate presented
        } catch (CertificateEncodingException e) {
            return null; // cannot happen for a certificate the TLS stack verified; if it did, it matches nothing
        }
    }
}

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

    /** The session value under which the peer certificate's thumbprint is kept. */
    private static final String THUMBPRINT = "m2m.x5t#S256";

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
        // One hash per TLS session, not per request: a connection's peer certificate never changes, and a resumed
        // session is resumed with its certificate.
        if (session.getValue(THUMBPRINT) instanceof String known) {
            return known;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0) {
                return null;
            }
            String thumbprint = CertificateBinding.thumbprint(chain[0].getEncoded());
            session.putValue(THUMBPRINT, thumbprint);
            return thumbprint;
        } catch (SSLPeerUnverifiedException e) {
            return null; // no certificate presented
        } catch (CertificateEncodingException e) {
            return null; // cannot happen for a certificate the TLS stack verified; if it did, it matches nothing
        }
    }
}

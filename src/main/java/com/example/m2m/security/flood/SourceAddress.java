package com.example.m2m.security.flood;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Where a request comes from, as the failure budget counts it: the peer's IPv4 address, or the /64 network of an IPv6
 * one (one host is usually given a whole /64, so counting single IPv6 addresses would give an attacker 2^64 budgets).
 * Behind a reverse proxy this is the address the proxy reports only when Quarkus is told to trust it
 * ({@code quarkus.http.proxy.proxy-address-forwarding} with {@code trusted-proxies}); otherwise it is the proxy's, and
 * a forged {@code X-Forwarded-For} changes nothing.
 */
public final class SourceAddress {

    static final String UNKNOWN = "unknown";

    private SourceAddress() {
    }

    public static String of(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null ? UNKNOWN : of(remote.hostAddress());
    }

    /** An address literal as counted: IPv4 as is, IPv6 as its /64 ({@code 2001:db8:1:2::/64}). */
    static String of(String address) {
        if (address == null || address.isEmpty()) {
            return UNKNOWN;
        }
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            // A literal: no name lookup happens. An IPv4-mapped address comes back as IPv4.
            byte[] bytes = InetAddress.getByName(stripBrackets(address)).getAddress();
            if (bytes.length == 4) {
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return network.append(":/64").toString();
        } catch (UnknownHostException | RuntimeException notAnAddress) {
            return UNKNOWN;
        }
    }

    private static String stripBrackets(String address) {
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }
}

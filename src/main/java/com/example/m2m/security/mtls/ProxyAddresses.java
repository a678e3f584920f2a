package com.example.m2m.security.mtls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT_CERT_PROXIES: the addresses (IPv4 or IPv6, single or CIDR ranges) of the proxies whose forwarded client
 * certificate is believed. Only literal addresses: a name would make each check a DNS lookup, and DNS an attacker's
 * way in.
 */
public final class ProxyAddresses {

    /** What a value must look like, for the setting's one-line refusal. */
    public static final String FORM = "IP addresses or CIDR ranges, comma-separated (e.g. `10.0.0.0/8,127.0.0.1`)";

    private record Range(byte[] network, int prefix) {
    }

    private final List<Range> ranges;

    private ProxyAddresses(List<Range> ranges) {
        this.ranges = ranges;
    }

    public static final ProxyAddresses NONE = new ProxyAddresses(List.of());

    /** Parses a comma-separated list; throws {@link IllegalArgumentException} on anything but literal addresses. */
    public static ProxyAddresses parse(String value) {
        List<Range> ranges = new ArrayList<>();
        for (String item : value.split(",")) {
            String entry = item.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
            int prefix = address.length * 8;
            if (slash >= 0) {
                String bits = entry.substring(slash + 1);
                if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > prefix) {
                    throw new IllegalArgumentException("not a prefix length: " + bits);
                }
                prefix = Integer.parseInt(bits);
            }
            ranges.add(new Range(address, prefix));
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no address");
        }
        return new ProxyAddresses(List.copyOf(ranges));
    }

    /** Whether this TCP peer address (a literal, as Vert.x gives it) is one of the proxies. */
    public boolean contains(String peer) {
        if (peer == null || ranges.isEmpty()) {
            return false;
        }
        byte[] address;
        try {
            address = literal(peer.startsWith("[") && peer.endsWith("]") ? peer.substring(1, peer.length() - 1) : peer);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (Range range : ranges) {
            if (matches(range, address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Range range, byte[] address) {
        if (range.network().length != address.length) {
            return false;
        }
        int whole = range.prefix() / 8;
        for (int i = 0; i < whole; i++) {
            if (range.network()[i] != address[i]) {
                return false;
            }
        }
        int rest = range.prefix() % 8;
        int mask = rest == 0 ? 0 : (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (range.network()[whole] & mask) == (address[whole] & mask);
    }

    /** The bytes of an IPv4 or IPv6 literal; never a name lookup (the characters are checked first). */
    private static byte[] literal(String text) {
        boolean v4 = text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")
                && java.util.Arrays.stream(text.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        boolean v6 = text.contains(":") && text.matches("[0-9A-Fa-f:.]+(%[0-9A-Za-z]+)?");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            if (v4 && bytes.length != 4) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }
}

package org.elves.center.common;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A set of agents as deployments name it: {@code *} (every agent), an IPv4 address, or an IPv4
 * network {@code a.b.c.d/n}; a category ({@code @name}) is resolved to these before matching.
 */
public final class AgentSet {
    public static final String EVERY_AGENT = "*";
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern CATEGORY = Pattern.compile("@[a-z0-9][a-z0-9-]{0,63}");

    private AgentSet() {
    }

    public static boolean isIp(String text) {
        return IPV4.matcher(text).matches();
    }

    /** {@code a.b.c.d/n} with n from 0 to 32. */
    public static boolean isNetwork(String text) {
        int slash = text.indexOf('/');
        return slash > 0 && isIp(text.substring(0, slash)) && text.substring(slash + 1).matches("\\d|[12]\\d|3[0-2]");
    }

    public static boolean isCategory(String text) {
        return CATEGORY.matcher(text).matches();
    }

    /** Whether any of these entries ("*", IPs, networks) holds the agent. */
    public static boolean matches(List<String> entries, String ip) {
        if (entries == null || ip == null || !isIp(ip)) {
            return false;
        }
        for (String entry : entries) {
            if (entry.equals(EVERY_AGENT) || entry.equals(ip) || (isNetwork(entry) && inNetwork(entry, ip))) {
                return true;
            }
        }
        return false;
    }

    private static boolean inNetwork(String network, String ip) {
        int slash = network.indexOf('/');
        int bits = Integer.parseInt(network.substring(slash + 1));
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (value(network.substring(0, slash)) & mask) == (value(ip) & mask);
    }

    /** The lowest and highest address of a network a.b.c.d/n, as {@link #value}s. */
    public static long[] range(String network) {
        int slash = network.indexOf('/');
        int bits = Integer.parseInt(network.substring(slash + 1));
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        long low = value(network.substring(0, slash)) & mask;
        return new long[] {low, low | (~mask & 0xFFFFFFFFL)};
    }

    /** An IPv4 address as the number it is, for range queries. */
    public static long value(String ip) {
        long v = 0;
        for (String part : ip.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }
}

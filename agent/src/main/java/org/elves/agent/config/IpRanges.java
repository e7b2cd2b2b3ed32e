package org.elves.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Expands address lists such as {@code 127.0.0.2-127.0.0.101,127.0.1.5} for emulated fleets. */
public final class IpRanges {
    /** A fleet larger than this is almost certainly a typo in the range (one digit too many). */
    public static final int MAX_ADDRESSES = 65_536;

    private IpRanges() {
    }

    /**
     * Comma-separated items, each an IPv4 address or an inclusive range {@code first-last};
     * duplicates are dropped, order is kept.
     *
     * @throws IllegalArgumentException naming the item that is not an address or a forward range
     */
    public static List<String> expand(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty address list");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String item : spec.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            int dash = s.indexOf('-');
            long first = toLong(dash < 0 ? s : s.substring(0, dash).trim());
            long last = dash < 0 ? first : toLong(s.substring(dash + 1).trim());
            if (last < first) {
                throw new IllegalArgumentException("address range '" + s + "' runs backwards");
            }
            if (out.size() + (last - first + 1) > MAX_ADDRESSES) {
                throw new IllegalArgumentException("address list '" + spec + "' has more than " + MAX_ADDRESSES + " addresses");
            }
            for (long a = first; a <= last; a++) {
                out.add(toText(a));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty address list");
        }
        return new ArrayList<>(out);
    }

    private static long toLong(String ip) {
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + ip + "' is not an IPv4 address");
        }
        long value = 0;
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("'" + ip + "' is not an IPv4 address");
            }
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    private static String toText(long a) {
        return ((a >> 24) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 8) & 0xff) + "." + (a & 0xff);
    }
}

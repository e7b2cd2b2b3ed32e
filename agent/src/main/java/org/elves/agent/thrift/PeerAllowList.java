package org.elves.agent.thrift;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code authips} check: which caller addresses may talk to the agent (reference §8.3). */
public final class PeerAllowList {
    private final boolean everyone;
    private final Set<InetAddress> allowed;

    private PeerAllowList(boolean everyone, Set<InetAddress> allowed) {
        this.everyone = everyone;
        this.allowed = allowed;
    }

    /**
     * @param entries literal IP addresses, or "*" for everyone
     * @throws IllegalArgumentException naming an entry that is not a literal IP address (host
     *                                  names would make admission depend on DNS at accept time)
     */
    public static PeerAllowList of(List<String> entries) {
        Set<InetAddress> set = new HashSet<>();
        boolean all = false;
        for (String entry : entries) {
            String e = entry.trim();
            if (e.equals("*")) {
                all = true;
            } else {
                set.add(normalise(parseLiteral(e)));
            }
        }
        return new PeerAllowList(all, Set.copyOf(set));
    }

    public boolean allowsEveryone() {
        return everyone;
    }

    public boolean allows(InetAddress peer) {
        return everyone || peer != null && allowed.contains(normalise(peer));
    }

    private static InetAddress parseLiteral(String text) {
        boolean literal = text.matches("[0-9.]+") || text.indexOf(':') >= 0;
        if (!literal || text.isEmpty()) {
            throw new IllegalArgumentException("authips entry '" + text + "' is not an IP address (or \"*\")");
        }
        try {
            return InetAddress.getByName(text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("authips entry '" + text + "' is not an IP address (or \"*\")");
        }
    }

    /** IPv4-mapped IPv6 becomes IPv4 and ::1 counts as 127.0.0.1, as in the original agent. */
    static InetAddress normalise(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            if (a.isLoopbackAddress()) {
                return v4(new byte[]{127, 0, 0, 1});
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                return v4(new byte[]{b[12], b[13], b[14], b[15]});
            }
        }
        return a;
    }

    private static InetAddress v4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.elves.center.openapi;

import org.elves.center.common.AgentSet;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A signing key and what it may do: run {@code app} on agent {@code ip} when {@code grants} maps
 * the app to a set holding the ip or {@link #EVERY_AGENT}. An admin key may do everything,
 * including the admin endpoints; a strong-only key is refused with the MD5 signature.
 *
 * @param authId     the public id sent with requests
 * @param secret     the signing secret
 * @param admin      every app on every agent, and the admin endpoints
 * @param strongOnly accepts only sign_type=hmac-sha256
 * @param grants     app → agents it may run on ("*" = every agent; IPs; networks a.b.c.d/n)
 */
public record ApiKey(String authId, String secret, boolean admin, boolean strongOnly, Map<String, Set<String>> grants) {
    public static final String EVERY_AGENT = "*";

    public ApiKey {
        grants = grants == null ? Map.of() : Map.copyOf(grants);
    }

    /** The all-powerful key of simple mode or the standalone admin pair. */
    public static ApiKey admin(String authId, String secret) {
        return new ApiKey(authId, secret, true, false, Map.of());
    }

    /** "*", the ip itself, or a network (a.b.c.d/n) holding it. */
    private static boolean covers(Set<String> agents, String ip) {
        return agents.contains(EVERY_AGENT) || agents.contains(ip) || AgentSet.matches(List.copyOf(agents), ip);
    }

    /**
     * Whether this key may act with these request parameters (reference §3.2.2, validateAuth):
     * an app it has a grant for, an ip one of its apps (that app, when given) may run on.
     * Blank app and ip: nothing to check here.
     */
    public boolean allows(String app, String ip) {
        if (admin) {
            return true;
        }
        boolean hasApp = app != null && !app.isBlank();
        boolean hasIp = ip != null && !ip.isBlank();
        if (hasApp) {
            Set<String> agents = grants.get(app);
            return agents != null && (!hasIp || covers(agents, ip));
        }
        if (hasIp) {
            return grants.values().stream().anyMatch(agents -> covers(agents, ip));
        }
        return true;
    }
}

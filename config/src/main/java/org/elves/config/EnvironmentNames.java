package org.elves.config;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps environment variables to Elves keys: {@code ELVES_API_PORT} becomes {@code elves.api.port}
 * (lower case, {@code _} to {@code .}). Keys with a hyphen cannot be spelled that way, so
 * {@code __} stands for {@code -} ({@code ELVES_RPC_TIMEOUT__MS}), and a plain spelling that
 * matches a key known from the defaults files also sets that key ({@code ELVES_RPC_TIMEOUT_MS}
 * sets {@code elves.rpc.timeout-ms}), because that is what operators type first.
 */
final class EnvironmentNames {
    private static final String ENV_PREFIX = "ELVES_";

    private EnvironmentNames() {
    }

    /** The key an environment variable names, or null if it is not an Elves variable. */
    static String toKey(String envName) {
        if (!envName.startsWith(ENV_PREFIX) || envName.length() == ENV_PREFIX.length()) {
            return null;
        }
        return envName.toLowerCase(Locale.ROOT).replace("__", "-").replace('_', '.');
    }

    /** The exact environment variable that sets a key; used in error messages. */
    static String toEnv(String key) {
        return key.toUpperCase(Locale.ROOT).replace("-", "__").replace('.', '_');
    }

    /**
     * The environment layer. Exact spellings win over relaxed matches, so setting both
     * {@code ELVES_RPC_TIMEOUT__MS} and {@code ELVES_RPC_TIMEOUT_MS} is not order-dependent.
     */
    static Map<String, String> layer(Map<String, String> environment, Collection<String> knownKeys) {
        Map<String, String> byRelaxedForm = new HashMap<>();
        for (String known : knownKeys) {
            if (known.indexOf('-') >= 0) {
                byRelaxedForm.putIfAbsent(relaxed(known), known);
            }
        }
        Map<String, String> relaxedMatches = new HashMap<>();
        Map<String, String> exact = new HashMap<>();
        environment.forEach((name, value) -> {
            String key = toKey(name);
            if (key == null || value == null) {
                return;
            }
            exact.put(key, value);
            String known = byRelaxedForm.get(relaxed(key));
            if (known != null && !known.equals(key)) {
                relaxedMatches.put(known, value);
            }
        });
        Map<String, String> layer = new HashMap<>(relaxedMatches);
        layer.putAll(exact);
        return layer;
    }

    private static String relaxed(String key) {
        return key.replace('-', '.');
    }
}

package org.elves.center.openapi;

import org.elves.center.common.PolledTable;
import org.elves.config.ElvesConfig;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAPI's keys: the configured admin pair (simple mode; the standalone admin key), then the
 * Supervisor's keys with their grants, cached here and reloaded when the Supervisor's key table
 * changed (route openapi-keys asks every second), so checking a key costs a map lookup. A
 * revoked or rotated key stops working within that second.
 */
public class SupervisorKeys extends PolledTable<Map<String, ApiKey>> implements KeyStore {
    private final SimpleKeyStore configured;

    public SupervisorKeys(ElvesConfig config) {
        super("Supervisor keys");
        this.configured = new SimpleKeyStore(config);
    }

    @Override
    public ApiKey find(String authId) {
        ApiKey admin = configured.find(authId);
        if (admin != null) {
            return admin;
        }
        Map<String, ApiKey> keys = value();
        return keys == null || authId == null ? null : keys.get(authId);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Map<String, ApiKey> parse(Map<String, Object> result) {
        Map<String, ApiKey> keys = new HashMap<>();
        if (result.get("keys") instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> k = (Map<String, Object>) o;
                Map<String, Set<String>> grants = new HashMap<>();
                if (k.get("grants") instanceof Map<?, ?> g) {
                    g.forEach((app, agents) -> grants.put(String.valueOf(app), new HashSet<>((List<String>) agents)));
                }
                String id = String.valueOf(k.get("auth_id"));
                keys.put(id, new ApiKey(id, String.valueOf(k.get("secret")), Boolean.TRUE.equals(k.get("admin")),
                        Boolean.TRUE.equals(k.get("strong_only")), grants));
            }
        }
        return Map.copyOf(keys);
    }
}

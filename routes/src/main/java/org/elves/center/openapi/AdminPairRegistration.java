package org.elves.center.openapi;

import org.elves.config.ElvesConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;

/**
 * Tells the Supervisor this instance's configured admin pair ({@code elves.openapi.auth.id/key},
 * the standalone's generated one), so that every OpenAPI instance accepts it through the key
 * table, also those started without it (route openapi-admin-pair asks until the Supervisor
 * answered, and again when the pair changed in the settings). The secret goes only to the
 * Supervisor, which keeps every key's secret; it is never logged.
 */
public class AdminPairRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(AdminPairRegistration.class);

    private final ElvesConfig config;
    private Map<String, Object> offered;
    private Map<String, Object> registered;
    private boolean refusedLogged;

    public AdminPairRegistration(ElvesConfig config) {
        this.config = config;
    }

    /** The pair to register, or null when none is configured or the Supervisor has it already. */
    public synchronized Map<String, Object> toRegister() {
        String id = config.optional("elves.openapi.auth.id").orElse("");
        String key = config.optional("elves.openapi.auth.key").orElse("");
        Map<String, Object> pair = id.isEmpty() || key.isEmpty() ? null : Map.of("auth_id", id, "key", key);
        if (!Objects.equals(pair, offered)) {
            refusedLogged = false;
        }
        offered = pair;
        return pair == null || pair.equals(registered) ? null : pair;
    }

    /** The Supervisor's answer: registered, or refused (an auth_id of a key made through the API). */
    public synchronized void answered(Map<String, Object> reply) {
        if (reply != null && "true".equals(String.valueOf(reply.get("flag")))) {
            registered = offered;
            LOG.info("the configured admin pair (auth_id {}) is known to every OpenAPI instance", offered.get("auth_id"));
        } else if (!refusedLogged) {
            refusedLogged = true;
            LOG.warn("the Supervisor did not take the configured admin pair; only this instance accepts it: {}",
                    reply == null ? "no answer" : reply.get("error"));
        }
    }
}

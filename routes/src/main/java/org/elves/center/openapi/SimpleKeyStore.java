package org.elves.center.openapi;

import org.elves.config.ElvesConfig;

/**
 * Simple mode (reference §3.2.2): one key pair from the configuration that may run every app on
 * every agent. Read per call so that a rotated key applies at once.
 */
public class SimpleKeyStore implements KeyStore {
    private final ElvesConfig config;

    public SimpleKeyStore(ElvesConfig config) {
        this.config = config;
    }

    @Override
    public ApiKey find(String authId) {
        String id = config.get("elves.openapi.auth.id", "");
        String key = config.get("elves.openapi.auth.key", "");
        return !id.isEmpty() && !key.isEmpty() && id.equals(authId) ? ApiKey.admin(id, key) : null;
    }
}

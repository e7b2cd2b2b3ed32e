package org.elves.center.openapi;

import java.util.Optional;
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
        Optional<String> id = config.optional("elves.openapi.auth.id");
        Optional<String> key = config.optional("elves.openapi.auth.key");
        return id.isPresent() && key.isPresent() && id.get().equals(authId) ? ApiKey.admin(id.get(), key.get()) : null;
    }
}

package org.elves.center.openapi;

/** Where OpenAPI finds the key of an auth_id: the configured admin pair, and the Supervisor's keys. */
public interface KeyStore {
    /** The key of this auth_id, or null when the auth_id is unknown. */
    ApiKey find(String authId);
}

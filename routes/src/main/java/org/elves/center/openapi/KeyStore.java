package org.elves.center.openapi;

/** Where OpenAPI finds the signing key of an auth_id (simple mode now, the Supervisor later). */
public interface KeyStore {
    /** The secret key of this auth_id, or null when the auth_id is unknown. */
    String keyFor(String authId);
}

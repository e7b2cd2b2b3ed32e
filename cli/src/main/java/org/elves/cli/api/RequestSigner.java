package org.elves.cli.api;

import java.util.Map;

/**
 * One signature scheme of the OpenAPI. Only MD5 exists in the reference (§3.2.1); a stronger
 * scheme (HMAC-SHA256) is planned and will be a second implementation.
 */
public interface RequestSigner {
    /** The value sent as {@code sign_type}. */
    String type();

    /** The {@code sign} value for a request path and its parameters (without sign/sign_type). */
    String sign(String path, Map<String, String> params, String key);
}

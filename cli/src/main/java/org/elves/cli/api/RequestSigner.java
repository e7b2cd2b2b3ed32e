package org.elves.cli.api;

import org.elves.protocol.ApiSignature;

import java.util.Map;

/**
 * One signature scheme of the OpenAPI: the reference's MD5 ({@link Md5Signer}) or our
 * HMAC-SHA256 with a nonce ({@link HmacSigner}, the default), docs/api.md "Signing".
 */
public interface RequestSigner {
    /** The value sent as {@code sign_type}. */
    String type();

    /**
     * The {@code sign} value for a request path and its parameters as they will be sent (without
     * {@code sign}); a scheme that signs the HTTP method takes GET here.
     */
    String sign(String path, Map<String, String> params, String key);

    /**
     * Completes a request's parameters, which hold the caller's ones, {@code auth_id} and
     * {@code timestamp}: adds {@code sign_type}, whatever else the scheme needs (a nonce), and
     * {@code sign} last.
     *
     * @param method the HTTP method the request goes with (GET or POST)
     */
    default void signRequest(String method, String path, Map<String, String> params, String key) {
        String sign = sign(path, params, key);
        params.put(ApiSignature.SIGN_TYPE, type());
        params.put(ApiSignature.SIGN, sign);
    }

    /** The signer of a {@code sign_type} value (case-insensitive), or null for an unknown one. */
    static RequestSigner of(String signType) {
        if (ApiSignature.HMAC_SHA256.equalsIgnoreCase(signType)) {
            return HmacSigner.INSTANCE;
        }
        if (ApiSignature.MD5.equalsIgnoreCase(signType)) {
            return Md5Signer.INSTANCE;
        }
        return null;
    }
}

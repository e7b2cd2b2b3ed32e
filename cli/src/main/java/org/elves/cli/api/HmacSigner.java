package org.elves.cli.api;

import org.elves.protocol.ApiSignature;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * HMAC-SHA256 with a fresh random nonce per request (docs/api.md "Signing"), computed by the
 * protocol module so client and server agree. The nonce is 128 random bits, base64url without
 * padding: 22 characters of {@code [A-Za-z0-9_-]}.
 */
public final class HmacSigner implements RequestSigner {
    public static final String TYPE = ApiSignature.HMAC_SHA256;
    public static final HmacSigner INSTANCE = new HmacSigner(HmacSigner::randomNonce);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<String> nonces;

    /** A signer with its own nonces (tests); they must be valid nonces, and fresh for each request. */
    public HmacSigner(Supplier<String> nonces) {
        this.nonces = Objects.requireNonNull(nonces, "nonces");
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The sign of a GET with these parameters, which must already hold sign_type and nonce. */
    @Override
    public String sign(String path, Map<String, String> params, String key) {
        return ApiSignature.hmacSign("GET", path, params, key);
    }

    @Override
    public void signRequest(String method, String path, Map<String, String> params, String key) {
        params.put(ApiSignature.SIGN_TYPE, TYPE);
        String nonce = nonces.get();
        if (!ApiSignature.validNonce(nonce)) {
            throw new IllegalStateException("not a valid nonce: " + nonce);
        }
        params.put(ApiSignature.NONCE, nonce);
        params.put(ApiSignature.SIGN, ApiSignature.hmacSign(method, path, params, key));
    }

    static String randomNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

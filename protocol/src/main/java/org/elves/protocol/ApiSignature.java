package org.elves.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI MD5 signature exactly as the reference defines it (§3.2.1): every parameter but
 * {@code sign} and {@code sign_type}, decoded, sorted by name, joined as {@code name=value} with
 * {@code &}, prefixed by the request path and {@code ?}, followed directly by the secret key.
 */
public final class ApiSignature {
    public static final String SIGN = "sign";
    public static final String SIGN_TYPE = "sign_type";
    public static final String AUTH_ID = "auth_id";
    public static final String TIMESTAMP = "timestamp";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ApiSignature() {
    }

    /** The string that is signed, before the key: {@code /path?a=1&b=2}. */
    public static String stringToSign(String path, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(128).append(normalisePath(path)).append('?');
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (SIGN.equals(e.getKey()) || SIGN_TYPE.equals(e.getKey())) {
                continue;
            }
            if (!first) {
                sb.append('&');
            }
            first = false;
            sb.append(e.getKey()).append('=').append(e.getValue() == null ? "" : e.getValue());
        }
        return sb.toString();
    }

    /** The lower-case hex MD5 signature of a request. */
    public static String sign(String path, Map<String, String> params, String key) {
        return md5Hex(stringToSign(path, params) + key);
    }

    /** Whether {@code sign} is the signature of the request; case-insensitive as the reference asks. */
    public static boolean verify(String path, Map<String, String> params, String key, String sign) {
        return sign != null && MessageDigest.isEqual(
                sign(path, params, key).getBytes(StandardCharsets.US_ASCII),
                sign.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** A leading {@code //} is collapsed to {@code /}, as the original does. */
    static String normalisePath(String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        while (p.startsWith("//")) {
            p = p.substring(1);
        }
        return p;
    }

    public static String md5Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[digest.length * 2];
            for (int i = 0; i < digest.length; i++) {
                out[i * 2] = HEX[(digest[i] >> 4) & 0xf];
                out[i * 2 + 1] = HEX[digest[i] & 0xf];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}

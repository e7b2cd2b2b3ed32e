package org.elves.protocol;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI signatures. MD5 exactly as the reference defines it (§3.2.1): every parameter but
 * {@code sign} and {@code sign_type}, decoded, sorted by name, joined as {@code name=value} with
 * {@code &}, prefixed by the request path and {@code ?}, followed directly by the secret key.
 * <p>
 * HMAC-SHA256 (ours, docs/api.md "Signing"): {@code sign = hex(HMAC-SHA256(secret, canonical))}
 * with {@code canonical = METHOD + "\n" + path + "\n" + pairs}, where pairs are every parameter
 * but {@code sign} ({@code sign_type} and {@code nonce} included), decoded, sorted by name in
 * byte (code point) order, {@code name=value} joined by {@code &}.
 */
public final class ApiSignature {
    public static final String SIGN = "sign";
    public static final String SIGN_TYPE = "sign_type";
    public static final String AUTH_ID = "auth_id";
    public static final String TIMESTAMP = "timestamp";
    public static final String NONCE = "nonce";
    /** sign_type values (compared case-insensitively). */
    public static final String MD5 = "md5";
    public static final String HMAC_SHA256 = "hmac-sha256";
    public static final int MD5_SIGN_LENGTH = 32;
    public static final int HMAC_SIGN_LENGTH = 64;
    public static final int NONCE_MIN = 16;
    public static final int NONCE_MAX = 64;

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
                sign.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The canonical string of the HMAC-SHA256 scheme: {@code METHOD\npath\npairs}; the method in
     * upper case, the path as for MD5 (a leading {@code //} collapsed), the pairs of every
     * parameter except {@code sign}, sorted by name in code point order (= UTF-8 byte order).
     */
    public static String canonicalString(String method, String path, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(160)
                .append(method == null ? "" : method.toUpperCase(Locale.ROOT)).append('\n')
                .append(normalisePath(path)).append('\n');
        TreeMap<String, String> sorted = new TreeMap<>(ApiSignature::compareCodePoints);
        sorted.putAll(params);
        boolean first = true;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (SIGN.equals(e.getKey())) {
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

    /** The lower-case hex HMAC-SHA256 signature of a request (64 characters). */
    public static String hmacSign(String method, String path, Map<String, String> params, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return hex(mac.doFinal(canonicalString(method, path, params).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Whether {@code sign} is the HMAC-SHA256 signature of the request, compared in constant time. */
    public static boolean verifyHmac(String method, String path, Map<String, String> params, String secret,
                                     String sign) {
        return sign != null && secret != null && !secret.isEmpty() && MessageDigest.isEqual(
                hmacSign(method, path, params, secret).getBytes(StandardCharsets.US_ASCII),
                sign.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** A nonce is 16 to 64 characters of {@code [A-Za-z0-9_-]}. */
    public static boolean validNonce(String nonce) {
        if (nonce == null || nonce.length() < NONCE_MIN || nonce.length() > NONCE_MAX) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Code point order, which is the byte order of the UTF-8 encodings (String's own order is UTF-16's). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
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
            return hex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[i * 2] = HEX[(bytes[i] >> 4) & 0xf];
            out[i * 2 + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }
}

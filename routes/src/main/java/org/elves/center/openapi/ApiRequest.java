package org.elves.center.openapi;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The decoded parameters of one API call, from the query string and a form body together. Parsed
 * here rather than taken from HTTP headers so that what is verified is exactly what was sent: a
 * name given twice is refused, since a signature over it would be ambiguous (reference G2).
 * Once {@link ApiGuard} has verified it, it carries the caller's {@link ApiKey} ({@link #key()},
 * null before), so endpoints can ask what the caller may do.
 *
 * @param method the HTTP method, upper case (signed by hmac-sha256)
 * @param path   the path exactly as requested
 * @param params the decoded parameters
 * @param key    the verified caller's key, or null when not (yet) verified
 */
public record ApiRequest(String method, String path, Map<String, String> params, ApiKey key) {

    public ApiRequest {
        method = method == null || method.isEmpty() ? "GET" : method.toUpperCase(Locale.ROOT);
    }

    /** An unverified GET request. */
    public ApiRequest(String path, Map<String, String> params) {
        this("GET", path, params, null);
    }

    public static ApiRequest parse(String path, String rawQuery, String formBody) {
        return parse("GET", path, rawQuery, formBody);
    }

    public static ApiRequest parse(String method, String path, String rawQuery, String formBody) {
        Map<String, String> params = new LinkedHashMap<>();
        addPairs(params, rawQuery);
        addPairs(params, formBody);
        return new ApiRequest(method, path, Collections.unmodifiableMap(params), null);
    }

    /**
     * A request whose form body the HTTP consumer already decoded into a map (name → value, or
     * a list of the values of a name given more than once, which is refused).
     */
    public static ApiRequest parse(String method, String path, String rawQuery, Map<?, ?> decodedForm) {
        Map<String, String> params = new LinkedHashMap<>();
        addPairs(params, rawQuery);
        for (Map.Entry<?, ?> e : decodedForm.entrySet()) {
            Object value = e.getValue();
            if (value instanceof Collection<?> values) {
                if (values.size() != 1) {
                    throw new ElvesException(ErrorCode.PARAM_REPEATED,
                            "parameter " + e.getKey() + " is given more than once");
                }
                value = values.iterator().next();
            }
            add(params, String.valueOf(e.getKey()), value == null ? "" : String.valueOf(value));
        }
        return new ApiRequest(method, path, Collections.unmodifiableMap(params), null);
    }

    /** This request, verified as sent with {@code key}. */
    public ApiRequest withKey(ApiKey key) {
        return new ApiRequest(method, path, params, key);
    }

    /** The value, or "" when absent. */
    public String get(String name) {
        String v = params.get(name);
        return v == null ? "" : v;
    }

    public boolean has(String name) {
        return params.containsKey(name);
    }

    /** Without the key's secret (a record's own toString would print it). */
    @Override
    public String toString() {
        return "ApiRequest[" + method + " " + path + " " + params.keySet()
                + (key == null ? "" : " as " + key.authId()) + "]";
    }

    private static void addPairs(Map<String, String> params, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            add(params, name, value);
        }
    }

    private static void add(Map<String, String> params, String name, String value) {
        if (params.putIfAbsent(name, value) != null) {
            throw new ElvesException(ErrorCode.PARAM_REPEATED, "parameter " + name + " is given more than once");
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ElvesException(ErrorCode.PARAM_PARAM,
                    "badly URL-encoded parameter: " + e.getMessage());
        }
    }
}

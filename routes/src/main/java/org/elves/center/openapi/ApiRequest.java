package org.elves.center.openapi;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded parameters of one API call, from the query string and a form body together. Parsed
 * here rather than taken from HTTP headers so that what is verified is exactly what was sent: a
 * name given twice is refused, since a signature over it would be ambiguous (reference G2).
 */
public record ApiRequest(String path, Map<String, String> params) {

    public static ApiRequest parse(String path, String rawQuery, String formBody) {
        Map<String, String> params = new LinkedHashMap<>();
        addPairs(params, rawQuery);
        addPairs(params, formBody);
        return new ApiRequest(path, Collections.unmodifiableMap(params));
    }

    /** The value, or "" when absent. */
    public String get(String name) {
        String v = params.get(name);
        return v == null ? "" : v;
    }

    public boolean has(String name) {
        return params.containsKey(name);
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
            if (params.putIfAbsent(name, value) != null) {
                throw new ElvesException(ErrorCode.PARAM_REPEATED, "parameter " + name + " is given more than once");
            }
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

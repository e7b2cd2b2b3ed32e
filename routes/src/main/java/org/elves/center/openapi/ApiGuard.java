package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.function.LongSupplier;

/**
 * Checks a request's signature in the reference's order (§3.2.1 step 8): missing parameters,
 * sign type, sign length, timestamp format, time window, auth_id, signature.
 */
public class ApiGuard {
    private static final String FORM = "application/x-www-form-urlencoded";

    private final KeyStore keys;
    private final ElvesConfig config;
    private final LongSupplier clockSeconds;

    public ApiGuard(KeyStore keys, ElvesConfig config, LongSupplier clockSeconds) {
        this.keys = keys;
        this.config = config;
        this.clockSeconds = clockSeconds;
    }

    /** Parses the HTTP request and returns it when its signature holds; throws a coded error otherwise. */
    public ApiRequest check(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String rawQuery = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String form = contentType != null && contentType.startsWith(FORM)
                ? exchange.getMessage().getBody(String.class) : null;
        ApiRequest request = ApiRequest.parse(requestPath(uri, path), rawQuery, form);
        verify(request);
        return request;
    }

    void verify(ApiRequest request) {
        for (String name : new String[]{ApiSignature.TIMESTAMP, ApiSignature.SIGN_TYPE, ApiSignature.SIGN, ApiSignature.AUTH_ID}) {
            if (request.get(name).isEmpty()) {
                throw new ElvesException(ErrorCode.MISSING_SIGN_PARAM, name + " is missing");
            }
        }
        if (!"md5".equalsIgnoreCase(request.get(ApiSignature.SIGN_TYPE))) {
            throw new ElvesException(ErrorCode.SIGN_TYPE_ILLEGAL, "only MD5 is supported");
        }
        String sign = request.get(ApiSignature.SIGN);
        if (sign.length() != 32) {
            throw new ElvesException(ErrorCode.SIGN_LENGTH_ILLEGAL, "sign must be 32 hex characters");
        }
        String timestamp = request.get(ApiSignature.TIMESTAMP);
        if (!timestamp.chars().allMatch(Character::isDigit) || timestamp.length() > 18) {
            throw new ElvesException(ErrorCode.TIMESTAMP_ILLEGAL, "timestamp must be Unix seconds");
        }
        long window = config.getLong("elves.openapi.sign.window-seconds", 180);
        long now = clockSeconds.getAsLong();
        long ts = Long.parseLong(timestamp);
        if (!(now - window < ts && ts < now + window)) {
            throw new ElvesException(ErrorCode.SIGN_TIMEOUT,
                    "timestamp is " + (now - ts) + " s away from the server's clock; the window is " + window + " s");
        }
        ApiKey key = keys.find(request.get(ApiSignature.AUTH_ID));
        if (key == null) {
            throw new ElvesException(ErrorCode.AUTH_ID_NOT_FOUND);
        }
        if (!ApiSignature.verify(request.path(), request.params(), key.secret(), sign)) {
            throw new ElvesException(ErrorCode.SIGN_ERROR);
        }
    }

    /** The path exactly as requested (what the client signed), without host or query. */
    private static String requestPath(String uri, String path) {
        String p = uri != null && !uri.isEmpty() ? uri : path;
        if (p == null) {
            return "/";
        }
        int q = p.indexOf('?');
        return q < 0 ? p : p.substring(0, q);
    }
}

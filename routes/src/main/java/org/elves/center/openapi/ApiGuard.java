package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Checks a request's signature and what its key may do. Order (reference §3.2.1 step 8, with
 * hmac-sha256 and the nonce woven in; docs/api.md "Signing"): missing parameters (401.1), sign
 * type (401.3), sign length (401.4), timestamp format (401.8), time window (401.7), hmac nonce
 * present and well formed (401.1), auth_id (413.1), strong-only key with md5 (401.3), signature
 * (401.5), nonce not seen before (401.9; after the signature, so forgeries cannot fill the
 * cache), then the key's grants for {@code app}/{@code ip} and the admin paths (401.6).
 */
public class ApiGuard {
    private static final String FORM = "application/x-www-form-urlencoded";
    static final String ADMIN_PREFIX = "/api/v2/admin/";

    private final KeyStore keys;
    private final ElvesConfig config;
    private final LongSupplier clockSeconds;
    private final NonceCache nonces;
    /** Every instance's accepted nonces, or null when replays are caught per instance only. */
    private final SharedNonces sharedNonces;

    public ApiGuard(KeyStore keys, ElvesConfig config, LongSupplier clockSeconds) {
        this(keys, config, clockSeconds,
                new NonceCache(config.requireInt("elves.openapi.sign.nonce-cache-size")));
    }

    public ApiGuard(KeyStore keys, ElvesConfig config, LongSupplier clockSeconds, NonceCache nonces) {
        this(keys, config, clockSeconds, nonces, null);
    }

    /** @param sharedNonces every OpenAPI instance's accepted nonces (a replay to another one is refused too) */
    public ApiGuard(KeyStore keys, ElvesConfig config, LongSupplier clockSeconds, NonceCache nonces,
                    SharedNonces sharedNonces) {
        this.keys = keys;
        this.config = config;
        this.clockSeconds = clockSeconds;
        this.nonces = nonces;
        this.sharedNonces = sharedNonces;
    }

    /** Parses the HTTP request and returns it, with its key, when it passes; throws a coded error otherwise. */
    public ApiRequest check(Exchange exchange) {
        if (exchange.getIn() instanceof org.apache.camel.component.platform.http.vertx.HttpMessage http) {
            // for a flow that streams its answer (LogFollow): the next setBody replaces this message
            exchange.setProperty(LogFollow.RESPONSE, http.getResponse());
        }
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String rawQuery = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            // a body that is not the form is the endpoint's payload (an upload's zip), not parameters
            byte[] payload = exchange.getMessage().getBody(byte[].class);
            if (payload != null && payload.length > 0) {
                exchange.setProperty(AdminApi.UPLOAD, payload);
            }
            return verify(ApiRequest.parse(method, requestPath(uri, path), rawQuery, (String) null));
        }
        // platform-http (Vert.x) hands a form body over already decoded, as a map (a list for a
        // repeated name); other HTTP consumers leave it as text
        Object body = exchange.getMessage().getBody();
        return verify(body instanceof Map<?, ?> decoded
                ? ApiRequest.parse(method, requestPath(uri, path), rawQuery, decoded)
                : ApiRequest.parse(method, requestPath(uri, path), rawQuery, exchange.getMessage().getBody(String.class)));
    }

    /** The request with its key when its signature holds and the key may do it; a coded error otherwise. */
    public ApiRequest verify(ApiRequest request) {
        for (String name : new String[]{ApiSignature.TIMESTAMP, ApiSignature.SIGN_TYPE, ApiSignature.SIGN, ApiSignature.AUTH_ID}) {
            if (request.get(name).isEmpty()) {
                throw new ElvesException(ErrorCode.MISSING_SIGN_PARAM, name + " is missing");
            }
        }
        String signType = request.get(ApiSignature.SIGN_TYPE);
        boolean hmac;
        if (ApiSignature.HMAC_SHA256.equalsIgnoreCase(signType)) {
            hmac = true;
        } else if (ApiSignature.MD5.equalsIgnoreCase(signType)) {
            hmac = false;
        } else {
            throw new ElvesException(ErrorCode.SIGN_TYPE_ILLEGAL, "sign_type must be hmac-sha256 or md5");
        }
        String sign = request.get(ApiSignature.SIGN);
        int length = hmac ? ApiSignature.HMAC_SIGN_LENGTH : ApiSignature.MD5_SIGN_LENGTH;
        if (sign.length() != length) {
            throw new ElvesException(ErrorCode.SIGN_LENGTH_ILLEGAL,
                    "a " + signType.toLowerCase(Locale.ROOT) + " sign is " + length + " hex characters");
        }
        String timestamp = request.get(ApiSignature.TIMESTAMP);
        if (!timestamp.chars().allMatch(c -> c >= '0' && c <= '9') || timestamp.length() > 18) {
            throw new ElvesException(ErrorCode.TIMESTAMP_ILLEGAL, "timestamp must be Unix seconds");
        }
        long window = config.requireLong("elves.openapi.sign.window-seconds");
        long now = clockSeconds.getAsLong();
        long ts = Long.parseLong(timestamp);
        if (!(now - window < ts && ts < now + window)) {
            throw new ElvesException(ErrorCode.SIGN_TIMEOUT,
                    "timestamp is " + (now - ts) + " s away from the server's clock; the window is " + window + " s");
        }
        String nonce = request.get(ApiSignature.NONCE);
        if (hmac && !ApiSignature.validNonce(nonce)) {
            throw new ElvesException(ErrorCode.MISSING_SIGN_PARAM,
                    "nonce is missing or malformed (16 to 64 characters of A-Z a-z 0-9 _ -, fresh per request)");
        }
        String authId = request.get(ApiSignature.AUTH_ID);
        ApiKey key = keys.find(authId);
        if (key == null) {
            throw new ElvesException(ErrorCode.AUTH_ID_NOT_FOUND);
        }
        if (!hmac && key.strongOnly()) {
            throw new ElvesException(ErrorCode.SIGN_TYPE_ILLEGAL, "this key accepts only hmac-sha256");
        }
        boolean signed = hmac
                ? ApiSignature.verifyHmac(request.method(), request.path(), request.params(), key.secret(), sign)
                : ApiSignature.verify(request.path(), request.params(), key.secret(), sign);
        if (!signed) {
            throw new ElvesException(ErrorCode.SIGN_ERROR);
        }
        if (hmac) {
            switch (nonces.remember(authId, nonce, ts + window, now)) {
                case REPLAYED -> throw new ElvesException(ErrorCode.NONCE_REPLAYED,
                        "this auth_id already sent this nonce within the last " + window + " s");
                case FULL -> throw new ElvesException(ErrorCode.NONCE_CACHE_FULL,
                        "too many signed requests within the window to remember their nonces; retry later");
                case FRESH -> { }
            }
            if (sharedNonces != null && !sharedNonces.claim(authId, nonce, ts + window)) {
                throw new ElvesException(ErrorCode.NONCE_REPLAYED,
                        "this auth_id already sent this nonce within the last " + window + " s (to another OpenAPI instance)");
            }
        }
        authorize(request, key);
        return request.withKey(key);
    }

    /** The key's grants (reference §3.2.2): the app and ip asked for, and the admin endpoints. */
    private static void authorize(ApiRequest request, ApiKey key) {
        if (key.admin()) {
            return;
        }
        if (request.has("app") || request.has("ip")) {
            String app = request.get("app");
            String ip = request.get("ip");
            if (!key.allows(app, ip)) {
                String detail = !app.isBlank() && !key.allows(app, null)
                        ? "app '" + shown(app) + "' is not granted to auth_id " + shown(key.authId())
                        : "agent '" + shown(ip) + "' is not granted to auth_id " + shown(key.authId())
                        + (app.isBlank() ? "" : " for app '" + shown(app) + "'");
                throw new ElvesException(ErrorCode.PERMISSION_DENIED, detail);
            }
        }
        if (isAdminPath(request.path())) {
            throw new ElvesException(ErrorCode.PERMISSION_DENIED,
                    "the admin endpoints need an admin key; auth_id " + shown(key.authId()) + " is none");
        }
    }

    /**
     * Whether a path is under /api/v2/admin/, however it is spelled: percent-escapes decoded,
     * repeated slashes collapsed, dot segments resolved, any case, behind any prefix. Erring
     * towards "admin" only refuses odd paths to non-admin keys.
     */
    static boolean isAdminPath(String path) {
        if (path == null) {
            return false;
        }
        String p = path;
        try {
            p = URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // keep it as it came: a bad escape cannot be routed anywhere else either
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : p.toLowerCase(Locale.ROOT).split("[/\\\\]+")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        String normal = "/" + String.join("/", segments) + "/";
        return normal.contains(ADMIN_PREFIX);
    }

    private static String shown(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "...";
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

package org.elves.cli.api;

import org.elves.protocol.ApiSignature;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Signed calls to the OpenAPI (reference §3.2; docs/api.md "Signing"). Adds {@code auth_id},
 * {@code timestamp}, {@code sign_type}, {@code sign} and, for hmac-sha256 (the target's default),
 * a fresh {@code nonce} to the caller's parameters, sends them and reads the envelope. Never fails with an exception for network trouble: that is an
 * {@link ApiResponse#noAnswer} outcome, so a fan-out over many hosts can count it like any result.
 * One instance holds one HTTP client; share it for all calls of a command.
 */
public final class ElvesApiClient {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Longer queries go as a POST form (the reference accepts both everywhere): HTTP servers
     * refuse request lines past a few KB (Vert.x: 4096 bytes), and a --param can be long.
     */
    static final int MAX_QUERY_CHARS = 3000;
    private static final List<String> RESERVED =
            List.of(ApiSignature.AUTH_ID, ApiSignature.TIMESTAMP, ApiSignature.SIGN_TYPE, ApiSignature.SIGN,
                    ApiSignature.NONCE);

    private final ApiTarget target;
    private final RequestSigner signer;
    private final Clock clock;
    private final HttpClient http;

    /** Signs as the target says: hmac-sha256 unless it was resolved with md5. */
    public ElvesApiClient(ApiTarget target) {
        this(target, target.signer(), Clock.systemUTC());
    }

    public ElvesApiClient(ApiTarget target, RequestSigner signer, Clock clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Calls and waits; the timeout bounds the whole exchange. */
    public ApiResponse call(String path, Map<String, String> params, Duration timeout) {
        return callAsync(path, params, timeout).join();
    }

    /** Calls without blocking; the future always completes normally. */
    public CompletableFuture<ApiResponse> callAsync(String path, Map<String, String> params, Duration timeout) {
        HttpRequest request = request(path, params, timeout);
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> failure == null
                        ? ApiResponse.answer(response.statusCode(), response.body())
                        : ApiResponse.noAnswer(reason(failure, timeout)));
    }

    /** The API this client calls, for messages. */
    public URI api() {
        return target.api();
    }

    /**
     * A signed GET whose answer is read as it arrives: the server-sent events of
     * {@code /api/v2/logs/output}. Always a GET, whatever the length of the query; the timeout
     * bounds the wait for the answer's headers, not the stream. Network trouble and an answer that
     * is no event stream (the API's error envelope) come back as {@link ApiStream#refusal()}.
     */
    public ApiStream stream(String path, Map<String, String> params, Duration timeout) throws InterruptedException {
        String fullPath = fullPath(path, params);
        String query = formEncode(signed("GET", fullPath, unsigned(params)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.api().resolve(fullPath) + "?" + query))
                .timeout(timeout)
                .header("Accept", ApiStream.EVENT_STREAM)
                .GET()
                .build();
        try {
            return ApiStream.of(http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            return ApiStream.refused(ApiResponse.noAnswer(reason(e, timeout)));
        }
    }

    HttpRequest request(String path, Map<String, String> params, Duration timeout) {
        String fullPath = fullPath(path, params);
        Map<String, String> unsigned = unsigned(params);
        String form = formEncode(signed("GET", fullPath, unsigned));
        URI base = target.api().resolve(fullPath);
        HttpRequest.Builder builder = HttpRequest.newBuilder().timeout(timeout)
                .header("Accept", "application/json");
        if (form.length() <= MAX_QUERY_CHARS) {
            return builder.uri(URI.create(base + "?" + form)).GET().build();
        }
        // hmac-sha256 signs the method: sign again for the POST (the GET was never sent)
        form = formEncode(signed("POST", fullPath, unsigned));
        return builder.uri(base)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
    }

    /** The path as the server sees and signs it; refuses parameters the client adds itself. */
    private String fullPath(String path, Map<String, String> params) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("API path must start with /: " + path);
        }
        for (String name : RESERVED) {
            if (params.containsKey(name)) {
                throw new IllegalArgumentException(name + " is added by the client, not by callers");
            }
        }
        // the server signs the path it receives, so a base URL with a path prefix is part of it
        return (target.api().getRawPath() == null ? "" : target.api().getRawPath()) + path;
    }

    /** The caller's parameters with auth_id and timestamp. */
    private Map<String, String> unsigned(Map<String, String> params) {
        Map<String, String> unsigned = new LinkedHashMap<>(params);
        unsigned.put(ApiSignature.AUTH_ID, target.authId());
        unsigned.put(ApiSignature.TIMESTAMP, Long.toString(clock.instant().getEpochSecond()));
        return unsigned;
    }

    /** A copy of the parameters signed for this method (hmac-sha256 signs it; each copy gets its own nonce). */
    private Map<String, String> signed(String method, String fullPath, Map<String, String> unsigned) {
        Map<String, String> signed = new LinkedHashMap<>(unsigned);
        signer.signRequest(method, fullPath, signed, target.authKey());
        return signed;
    }

    static String formEncode(Map<String, String> params) {
        StringBuilder sb = new StringBuilder(256);
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(encode(e.getKey())).append('=').append(encode(e.getValue() == null ? "" : e.getValue()));
        }
        return sb.toString();
    }

    /**
     * Percent-encoding with %20 for a space: URLEncoder's '+' means a space only to form
     * decoders, and a server that decodes the query as a URI would sign a literal '+'.
     */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String reason(Throwable failure, Duration timeout) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String api = target.api().toString();
        if (t instanceof HttpConnectTimeoutException) {
            return "could not connect to " + api + " within " + seconds(CONNECT_TIMEOUT);
        }
        if (t instanceof HttpTimeoutException) {
            return "no answer from " + api + " within " + seconds(timeout);
        }
        if (t instanceof ConnectException) {
            return "cannot connect to " + api + ": " + (t.getMessage() == null ? "connection refused" : t.getMessage());
        }
        if (t instanceof IOException) {
            return "connection to " + api + " failed: "
                    + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return "call to " + api + " failed: " + t;
    }

    static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}

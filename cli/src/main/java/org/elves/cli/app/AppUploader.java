package org.elves.cli.app;

import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.RequestSigner;
import org.elves.protocol.ApiSignature;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A signed POST with a raw body ({@code /api/v2/admin/app/upload}): the parameters are signed
 * exactly as {@link org.elves.cli.api.ElvesApiClient} signs them and go in the query, the body is
 * the zip file. Kept apart from the client, which sends parameters only.
 */
final class AppUploader {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final ApiTarget target;
    private final RequestSigner signer;
    private final Clock clock;
    private final HttpClient http;

    AppUploader(ApiTarget target) {
        this(target, target.signer(), Clock.systemUTC());
    }

    AppUploader(ApiTarget target, RequestSigner signer, Clock clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** POSTs the body with the signed parameters in the query; network trouble is a no-answer response. */
    ApiResponse post(String path, Map<String, String> params, byte[] body, String contentType, Duration timeout)
            throws InterruptedException {
        HttpRequest request = request(path, params, body, contentType, timeout);
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return ApiResponse.answer(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            return ApiResponse.noAnswer("no answer from " + target.api() + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return ApiResponse.noAnswer("cannot upload to " + target.api() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    HttpRequest request(String path, Map<String, String> params, byte[] body, String contentType, Duration timeout) {
        String fullPath = (target.api().getRawPath() == null ? "" : target.api().getRawPath()) + path;
        Map<String, String> signed = new LinkedHashMap<>(params);
        signed.put(ApiSignature.AUTH_ID, target.authId());
        signed.put(ApiSignature.TIMESTAMP, Long.toString(clock.instant().getEpochSecond()));
        // the same scheme as every other call of this target (hmac-sha256 by default), signed as a POST
        signer.signRequest("POST", fullPath, signed, target.authKey());
        StringBuilder query = new StringBuilder(256);
        signed.forEach((name, value) -> query.append(query.length() == 0 ? "" : "&")
                .append(encode(name)).append('=').append(encode(value == null ? "" : value)));
        return HttpRequest.newBuilder(URI.create(target.api().resolve(fullPath) + "?" + query))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** As the client encodes: %20 for a space, so servers decoding the query as a URI agree. */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

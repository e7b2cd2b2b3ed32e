package org.elves.cli.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a streaming call ({@link ElvesApiClient#stream}) came to: an open event stream to read line
 * by line, or, when the API refused (its error envelope) or did not answer, that outcome as an
 * {@link ApiResponse}. Close it to end the stream early.
 */
public final class ApiStream implements AutoCloseable {
    static final String EVENT_STREAM = "text/event-stream";

    private final InputStream body;
    private final BufferedReader lines;
    private final ApiResponse refusal;

    private ApiStream(InputStream body, ApiResponse refusal) {
        this.body = body;
        this.lines = body == null ? null : new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        this.refusal = refusal;
    }

    static ApiStream of(HttpResponse<InputStream> response) {
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (response.statusCode() == 200 && type.startsWith(EVENT_STREAM)) {
            return new ApiStream(response.body(), null);
        }
        // not a stream: the API's envelope with its error (or a proxy's page), read whole
        try (InputStream in = response.body()) {
            return refused(ApiResponse.answer(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return refused(ApiResponse.noAnswer("HTTP " + response.statusCode() + ", the answer broke off: " + e.getMessage()));
        }
    }

    static ApiStream refused(ApiResponse response) {
        return new ApiStream(null, response);
    }

    /** Whether the stream is open (else see {@link #refusal()}). */
    public boolean open() {
        return refusal == null;
    }

    /** The API's refusal or why there was no answer; null for an open stream. */
    public ApiResponse refusal() {
        return refusal;
    }

    /** The next line of the stream, without its end; null when the server closed it. */
    public String readLine() throws IOException {
        if (lines == null) {
            throw new IllegalStateException("not an open stream");
        }
        return lines.readLine();
    }

    /** Ends the stream; a read blocked in another thread then ends too. */
    @Override
    public void close() {
        if (body != null) {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing a stream we give up on: nothing left to do with it
            }
        }
    }
}

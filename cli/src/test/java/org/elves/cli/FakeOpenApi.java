package org.elves.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in OpenAPI on 127.0.0.1: checks every request's signature as the center does, md5 or
 * hmac-sha256 with its nonce (recomputed from the received method, path and parameters with the
 * shared ApiSignature; a nonce used twice is refused), then answers per ip:
 * <ul>
 * <li>10.0.0.1: ok, worker_flag "1", a two-line message, cost "74"</li>
 * <li>10.0.0.2: worker failure, worker_flag "0"</li>
 * <li>10.0.0.3: [414.1] with HTTP 414 (errors come with the HTTP status of their code)</li>
 * <li>10.0.0.4: answers only after {@link #SLOW_MILLIS}, past the tests' client wait</li>
 * <li>10.0.0.5: worker system error, worker_flag -1 sent as a number</li>
 * <li>10.0.1.*: ok after {@link #BUSY_MILLIS}, to see how many calls are in flight at once</li>
 * <li>any other: [414.1]</li>
 * </ul>
 * The path /api/v2/html answers an HTML page with HTTP 502, like a proxy in front of a dead
 * center. A {@link Route} given to the constructor answers the paths it knows first (after the
 * signature check), e.g. a queue-aware fake; its reply may be a stream of server-sent events.
 */
public final class FakeOpenApi implements AutoCloseable {
    public static final String AUTH_ID = "7";
    public static final String KEY = "s3cr3t-Key-4711";
    public static final long SLOW_MILLIS = 3000;
    public static final long BUSY_MILLIS = 150;

    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Map<String, String>> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> methods = Collections.synchronizedList(new ArrayList<>());
    private final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Set<String> nonces = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Route route;

    /** Answers signed requests for the paths it knows: a reply, or null for the per-ip answers. */
    @FunctionalInterface
    public interface Route {
        Reply answer(String path, Map<String, String> params);
    }

    /** Writes a {@code text/event-stream} answer as it goes (flushing what the client should see); returning closes it. */
    @FunctionalInterface
    public interface EventWriter {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    /** An HTTP status and a body; or, with {@code events}, a stream of server-sent events. */
    public record Reply(int status, String body, EventWriter events) {
        public Reply(int status, String body) {
            this(status, body, null);
        }

        /** HTTP 200 with {@code text/event-stream}, written by {@code writer} while the client reads. */
        public static Reply events(EventWriter writer) {
            return new Reply(200, "", writer);
        }

        /** An error of a code the protocol module may not know yet, e.g. {@code [415.1]Task Log Not Found}. */
        public static Reply error(String codeText) {
            int status = Integer.parseInt(codeText.substring(1, codeText.indexOf('.')));
            return new Reply(status, Json.text(envelope(false, codeText)));
        }

        public static Reply ok(com.fasterxml.jackson.databind.JsonNode result) {
            ObjectNode doc = envelope(true, "");
            if (result != null) {
                doc.set("result", result);
            }
            return new Reply(200, Json.text(doc));
        }

        public static Reply error(ErrorCode code) {
            return new Reply(code.httpStatus(), Json.text(envelope(false, code.text())));
        }
    }

    public FakeOpenApi() throws IOException {
        this(null);
    }

    public FakeOpenApi(Route route) throws IOException {
        this.route = route;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // daemon threads: a handler still sleeping for 10.0.0.4 must not outlive the test run
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-openapi");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Parameters of every request received so far, decoded, in arrival order. */
    public List<Map<String, String>> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<String> methods() {
        synchronized (methods) {
            return List.copyOf(methods);
        }
    }

    public List<String> paths() {
        synchronized (paths) {
            return List.copyOf(paths);
        }
    }

    /** Bodies of requests that were not forms (uploads), in arrival order. */
    public List<byte[]> bodies() {
        synchronized (bodies) {
            return List.copyOf(bodies);
        }
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            // a POST is a form unless it says otherwise (an app upload: zip body, parameters in the query)
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            boolean form = "POST".equals(exchange.getRequestMethod())
                    && (type == null || type.startsWith("application/x-www-form-urlencoded"));
            byte[] body = "POST".equals(exchange.getRequestMethod()) ? exchange.getRequestBody().readAllBytes() : new byte[0];
            String raw = form ? new String(body, StandardCharsets.UTF_8) : exchange.getRequestURI().getRawQuery();
            if (!form && body.length > 0) {
                bodies.add(body);
            }
            Map<String, String> params = decode(raw);
            String path = exchange.getRequestURI().getPath();
            requests.add(params);
            methods.add(exchange.getRequestMethod());
            paths.add(path);
            if (path.endsWith("/api/v2/html")) {
                send(exchange, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
                return;
            }
            ErrorCode authError = checkSignature(exchange.getRequestMethod(), path, params);
            if (authError != null) {
                sendError(exchange, authError);
                return;
            }
            Reply reply = route == null ? null : route.answer(path, params);
            if (reply != null && reply.events() != null) {
                sendEvents(exchange, reply.events());
                return;
            }
            if (reply != null) {
                send(exchange, reply.status(), reply.body());
                return;
            }
            answer(exchange, params.get("ip"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    /** The center's check order (docs/api.md "Signing"), with the window of the original center. */
    private ErrorCode checkSignature(String method, String path, Map<String, String> params) {
        for (String name : List.of(ApiSignature.TIMESTAMP, ApiSignature.SIGN_TYPE, ApiSignature.SIGN,
                ApiSignature.AUTH_ID)) {
            if (!params.containsKey(name)) {
                return ErrorCode.MISSING_SIGN_PARAM;
            }
        }
        boolean hmac = ApiSignature.HMAC_SHA256.equalsIgnoreCase(params.get(ApiSignature.SIGN_TYPE));
        if (!hmac && !ApiSignature.MD5.equalsIgnoreCase(params.get(ApiSignature.SIGN_TYPE))) {
            return ErrorCode.SIGN_TYPE_ILLEGAL;
        }
        if (params.get(ApiSignature.SIGN).length() != (hmac ? 64 : 32)) {
            return ErrorCode.SIGN_LENGTH_ILLEGAL;
        }
        if (!params.get(ApiSignature.TIMESTAMP).matches("\\d+")) {
            return ErrorCode.TIMESTAMP_ILLEGAL;
        }
        long age = System.currentTimeMillis() / 1000 - Long.parseLong(params.get(ApiSignature.TIMESTAMP));
        if (Math.abs(age) >= 180) {
            return ErrorCode.SIGN_TIMEOUT;
        }
        if (hmac && !ApiSignature.validNonce(params.get(ApiSignature.NONCE))) {
            return ErrorCode.MISSING_SIGN_PARAM;
        }
        if (hmac ? !ApiSignature.verifyHmac(method, path, params, KEY, params.get(ApiSignature.SIGN))
                : !ApiSignature.verify(path, params, KEY, params.get(ApiSignature.SIGN))) {
            return ErrorCode.SIGN_ERROR;
        }
        if (hmac && !nonces.add(params.get(ApiSignature.NONCE))) {
            return ErrorCode.NONCE_REPLAYED;
        }
        return null;
    }

    private void answer(HttpExchange exchange, String ip) throws IOException, InterruptedException {
        String id = String.format("%016x", (long) (ip == null ? 0 : ip.hashCode()));
        if ("10.0.0.1".equals(ip)) {
            sendOk(exchange, id, "1", "hello from 10.0.0.1\nsecond line", "74");
        } else if ("10.0.0.2".equals(ip)) {
            sendOk(exchange, id, "0", "disk full", "12");
        } else if ("10.0.0.4".equals(ip)) {
            Thread.sleep(SLOW_MILLIS);
            sendOk(exchange, id, "1", "too late", "3000");
        } else if ("10.0.0.5".equals(ip)) {
            // the original center sends worker_flag and worker_costtime as numbers ([Impl] int)
            ObjectNode doc = envelope(true, "");
            doc.putObject("result").put("id", id).put("worker_flag", -1)
                    .put("worker_message", "worker crashed").put("worker_costtime", 5);
            send(exchange, 200, Json.text(doc));
        } else if (ip != null && ip.startsWith("10.0.1.")) {
            Thread.sleep(BUSY_MILLIS);
            sendOk(exchange, id, "1", "busy " + ip, "150");
        } else {
            sendError(exchange, ErrorCode.AGENT_NOT_FOUND);
        }
    }

    private static ObjectNode envelope(boolean flag, String error) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("flag", String.valueOf(flag));
        doc.put("error", error);
        return doc;
    }

    private static void sendOk(HttpExchange exchange, String id, String workerFlag, String message, String cost)
            throws IOException {
        ObjectNode doc = envelope(true, "");
        doc.putObject("result").put("id", id).put("worker_flag", workerFlag)
                .put("worker_message", message).put("worker_costtime", cost);
        send(exchange, 200, Json.text(doc));
    }

    private static void sendError(HttpExchange exchange, ErrorCode code) throws IOException {
        send(exchange, code.httpStatus(), Json.text(envelope(false, code.text())));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendEvents(HttpExchange exchange, EventWriter writer) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=UTF-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            writer.write(out);
        } catch (IOException e) {
            // the client went away (it gave up following): nothing more to send
        }
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }
}

package org.elves.center.openapi;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.elves.center.TestNamespace;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.elves.protocol.TaskIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 item 1, "no 5xx, always the envelope": seeded malformed requests of every kind to
 * every endpoint (the API, its admin paths, the Supervisor's packages and page) are each answered
 * with a 4xx and the reference's JSON envelope carrying a code of the table, never a 5xx or an
 * empty body (a bare 413, 414 or 431 only for oversized requests); no response header carries
 * anything of the request; and a correctly signed call still answers afterwards.
 */
class ApiFuzzTest {
    private static final long SEED = 20_240_612L;
    private static final int ROUNDS = 15;
    private static final String PREFIX = "fz" + TaskIds.next().substring(0, 6).toLowerCase(Locale.ROOT) + "-";
    private static final Set<Integer> BARE_OVERSIZE = Set.of(413, 414, 431);
    private static MongoServer mongo;
    private static ElvesConfig config;
    private static Center center;
    private static RawHttp http;
    /** A Supervisor in a process of its own serves packages and the admin page on its own server. */
    private static Center supervisorAlone;
    private static RawHttp supervisorHttp;

    @BeforeAll
    static void start() throws Exception {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        int apiPort = freePort();
        int supervisorPort = freePort();
        List<Component> components = List.of(Component.HEARTBEAT, Component.SUPERVISOR, Component.OPENAPI);
        config = Center.configFor(components).overrides(Map.of(
                "elves.mq.exchange", PREFIX + "elves",
                "elves.mq.queue-prefix", PREFIX,
                "elves.mongo.uri", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(),
                "elves.openapi.port", String.valueOf(apiPort),
                "elves.supervisor.port", String.valueOf(supervisorPort),
                "elves.heartbeat.host", "127.0.0.1",
                "elves.heartbeat.port", String.valueOf(freePort()),
                "elves.openapi.auth.id", "tester",
                "elves.openapi.auth.key", "secret")).build();
        center = Center.start(config, components);
        http = new RawHttp(apiPort);
        supervisorAlone = Center.start(config, List.of(Component.SUPERVISOR));
        supervisorHttp = new RawHttp(supervisorPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (supervisorAlone != null) {
            supervisorAlone.close();
        }
        if (center != null) {
            center.close();
        }
        TestNamespace.delete(PREFIX, List.of("heartbeat", "supervisor", "openapi"));
        if (config != null) {
            config.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
    }

    @Test
    void everyMalformedRequestGetsA4xxEnvelopeAndTheApiStillAnswers() throws Exception {
        List<String> failures = new ArrayList<>();
        int sent = fuzz(http, FuzzRequests.PATHS, ROUNDS, failures);
        assertTrue(sent >= 5_000, "sent " + sent);
        assertTrue(failures.isEmpty(), failures.size() + " bad answers, first ones:\n" + String.join("\n", failures));
        Map<String, Object> list = signedCall("/api/v2/admin/app/list");
        assertEquals("true", list.get("flag"), String.valueOf(list));
    }

    @Test
    void aSupervisorOnItsOwnAnswersMalformedRequestsInTheEnvelopeToo() throws Exception {
        List<String> failures = new ArrayList<>();
        int sent = fuzz(supervisorHttp, FuzzRequests.SUPERVISOR_PATHS, ROUNDS, failures);
        assertTrue(sent >= 1_000, "sent " + sent);
        assertTrue(failures.isEmpty(), failures.size() + " bad answers, first ones:\n" + String.join("\n", failures));
        RawHttp.Reply page = supervisorHttp.send("GET /admin/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, page.status(), page.head());
    }

    @Test
    void aBodyOverTheLimitIsRefusedOnItsDeclaredLengthAndOnlyAnUploadMayBeLarger() throws Exception {
        String head = "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/zip\r\n"
                + "Content-Length: %d\r\n\r\n";
        // declared 64 MiB, 1 KiB sent: refused at once, nothing buffered
        RawHttp.Reply huge = http.send((String.format(head, "/api/v2/rt/exec", 64L << 20) + "x".repeat(1024))
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, huge.status(), huge.head());
        assertTrue(huge.body().startsWith("{\"flag\":\"false\",\"error\":\"[400.2]"), huge.body());

        byte[] twoMiB = new byte[2 << 20];
        RawHttp.Reply upload = http.send(concat(String.format(head, "/api/v2/admin/app/upload", twoMiB.length)
                .getBytes(StandardCharsets.US_ASCII), twoMiB));
        assertEquals(401, upload.status(), upload.head() + " " + upload.body()); // read, then refused unsigned
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Sends rounds of every kind of damage to every path; collects what was answered wrongly. */
    private static int fuzz(RawHttp target, List<String> paths, int rounds, List<String> failures) throws Exception {
        FuzzRequests fuzz = new FuzzRequests(SEED, "secret");
        int sent = 0;
        for (int round = 0; round < rounds; round++) {
            for (FuzzRequests.Kind kind : FuzzRequests.Kind.values()) {
                for (String path : paths) {
                    FuzzRequests.Fuzz request = fuzz.next(kind, path);
                    String problem = check(request, target.send(request.bytes()));
                    sent++;
                    if (problem != null && failures.size() < 40) {
                        failures.add(problem + "\n    for " + request.shown());
                    }
                }
            }
        }
        return sent;
    }

    /** What is wrong with the answer to a fuzzed request, or null when it is as required. */
    private static String check(FuzzRequests.Fuzz request, RawHttp.Reply reply) {
        if (reply.head().toLowerCase(Locale.ROOT).contains(FuzzRequests.MARKER)) {
            return "the request shows in the response headers: " + reply.head();
        }
        if (request.kind().oversize && BARE_OVERSIZE.contains(reply.status())) {
            return null;
        }
        // a signed call whose damaged parameter the endpoint does not read may well succeed, and
        // the admin page is a static page whatever its query says
        boolean mayPass = reply.status() == 200
                && (request.kind() == FuzzRequests.Kind.SIGNED_GARBAGE || request.path().startsWith("/admin/"));
        if (!mayPass && (reply.status() < 400 || reply.status() > 499)) {
            return "status " + reply.status() + " " + reply.head() + " " + reply.body();
        }
        if (new String(request.bytes(), 0, 5, StandardCharsets.ISO_8859_1).startsWith("HEAD ")) {
            return null; // a HEAD answer has no body by definition
        }
        if (mayPass && request.path().startsWith("/admin/")) {
            return null;
        }
        try {
            Map<String, Object> envelope = Json.object(reply.body());
            String error = String.valueOf(envelope.get("error"));
            ErrorCode code = ErrorCode.ofText(error);
            if (mayPass && "true".equals(envelope.get("flag"))) {
                return null;
            }
            if (!"false".equals(envelope.get("flag")) || code == null || code.httpStatus() != reply.status()) {
                return "not the envelope of a code with status " + reply.status() + ": " + reply.body();
            }
            return null;
        } catch (RuntimeException e) {
            return "status " + reply.status() + " body not JSON: " + reply.head() + " | " + reply.body();
        }
    }

    private static Map<String, Object> signedCall(String path) throws Exception {
        Map<String, String> params = new TreeMap<>();
        params.put("auth_id", "tester");
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        params.put("sign_type", "MD5");
        params.put("sign", ApiSignature.sign(path, params, "secret"));
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        RawHttp.Reply reply = http.send(("GET " + path + "?" + q + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return Json.object(reply.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

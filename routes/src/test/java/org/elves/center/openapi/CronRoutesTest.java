package org.elves.center.openapi;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.apache.camel.builder.RouteBuilder;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.elves.center.TestNamespace;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.elves.protocol.TaskIds;
import org.elves.protocol.thrift.AgentInfo;
import org.elves.protocol.thrift.HeartbeatService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The /api/v2/cron/* routes and info/agents/detail?showcron=true through a running OpenAPI and
 * the real RabbitMQ, with a stand-in for the Cron component's handlers (the calls and bodies the
 * reference §6.3 gives it) so the routes are checked without the component.
 */
class CronRoutesTest {
    private static final String PREFIX = "cr" + TaskIds.next().substring(0, 6).toLowerCase() + "-";
    private static final String CRON_ID = "A49B1E8FA1B43BC5";
    private static final Map<String, Map<String, Object>> received = new ConcurrentHashMap<>();
    private static MongoServer mongo;
    private static ElvesConfig config;
    private static Center center;
    private static int apiPort;
    private static int heartbeatPort;

    @BeforeAll
    static void start() throws Exception {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        apiPort = freePort();
        heartbeatPort = freePort();
        List<Component> components = List.of(Component.HEARTBEAT, Component.OPENAPI);
        config = Center.configFor(components).overrides(Map.of(
                "elves.mq.exchange", PREFIX + "elves",
                "elves.mq.queue-prefix", PREFIX,
                "elves.mongo.uri", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(),
                "elves.openapi.port", String.valueOf(apiPort),
                "elves.heartbeat.host", "127.0.0.1",
                "elves.heartbeat.port", String.valueOf(heartbeatPort),
                "elves.openapi.auth.id", "tester",
                "elves.openapi.auth.key", "secret")).build();
        center = Center.start(config, components);
        center.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the inbox the Cron component will have, answering as the reference's handlers do
                from("spring-rabbitmq:" + PREFIX + "elves?queues=" + PREFIX + "cron"
                        + "&routingKey=RAW(*.cron.#)&exchangeType=topic")
                        .routeId("test-cron-inbox")
                        .to("direct:rpc-serve");
                for (String func : List.of("createCron", "startCron", "stopCron", "deleteCron", "cronDetail", "cronList")) {
                    from("direct:cron." + func).process(e -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> body = e.getMessage().getBody(Map.class);
                        received.put(func, body);
                        e.getMessage().setBody(answer(func, body));
                    });
                }
            }
        });
    }

    private static Map<String, Object> answer(String func, Map<String, Object> body) {
        Map<String, Object> reply = new LinkedHashMap<>();
        if (!"createCron".equals(func) && !"cronList".equals(func) && !CRON_ID.equals(body.get("id"))) {
            reply.put("flag", "false");
            reply.put("error", ErrorCode.CRON_NOT_FOUND.text());
            return reply;
        }
        reply.put("flag", "true");
        reply.put("error", "");
        switch (func) {
            case "createCron" -> reply.put("id", CRON_ID);
            case "cronDetail" -> reply.put("result", Map.of("ip", "127.0.0.2", "rule", "0/5 * * * * ?", "cron_flag", 1));
            case "cronList" -> {
                reply.put("result", List.of(CRON_ID));
                reply.put("crons", List.of(Map.of("id", CRON_ID, "app", "apptest", "rule", "0/5 * * * * ?")));
            }
            default -> { }
        }
        return reply;
    }

    @AfterAll
    static void stop() throws Exception {
        if (center != null) {
            center.close();
        }
        TestNamespace.delete(PREFIX, List.of("heartbeat", "cron", "openapi"));
        if (config != null) {
            config.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
    }

    @BeforeEach
    void clear() {
        received.clear();
    }

    @Test
    @SuppressWarnings("unchecked")
    void addSendsCreateCronAndAnswersTheId() throws Exception {
        Map<String, Object> add = call("/api/v2/cron/add", Map.of("ip", "127.0.0.2", "app", "apptest",
                "func", "helloword", "rule", "0/5 * * * * ?", "timezone", "Asia/Shanghai", "mode", "p"));
        assertEquals("true", add.get("flag"), String.valueOf(add));
        assertEquals(Map.of("id", CRON_ID), add.get("result"));
        Map<String, Object> sent = received.get("createCron");
        assertEquals(List.of("ip", "mode", "app", "func", "param", "timeout", "proxy", "rule", "timezone", "side", "auth_id"),
                List.copyOf(sent.keySet()));
        assertEquals("P", sent.get("mode"));
        assertEquals("Asia/Shanghai", sent.get("timezone"));
        assertEquals("center", sent.get("side"));
        assertEquals(90, ((Number) sent.get("timeout")).intValue());
    }

    @Test
    void aBadRuleIs4035WithoutAnyCall() throws Exception {
        Map<String, Object> add = call("/api/v2/cron/add", Map.of("ip", "127.0.0.2", "app", "apptest",
                "func", "helloword", "rule", "every minute"));
        assertTrue(String.valueOf(add.get("error")).startsWith("[403.5]"), String.valueOf(add));
        assertTrue(received.isEmpty(), received::toString);
        Map<String, Object> start = call("/api/v2/cron/start", Map.of("cron_id", "short"));
        assertTrue(String.valueOf(start.get("error")).startsWith("[403.9]"), String.valueOf(start));
    }

    @Test
    void startStopDeleteAnswerTheComponentsFlagAndError() throws Exception {
        for (String action : List.of("start", "stop", "delete")) {
            Map<String, Object> ok = call("/api/v2/cron/" + action, Map.of("cron_id", CRON_ID));
            assertEquals(Map.of("flag", "true", "error", ""), ok);
            Map<String, Object> unknown = call("/api/v2/cron/" + action, Map.of("cron_id", "0000000000000000"));
            assertEquals(Map.of("flag", "false", "error", ErrorCode.CRON_NOT_FOUND.text()), unknown);
        }
        // the verified caller goes along for the component's ownership check (the configured pair: an admin key)
        assertEquals(Map.of("id", "0000000000000000", "caller", "tester", "caller_admin", "true"), received.get("deleteCron"));
    }

    @Test
    void detailAndItsAliasInfoAnswerTheResultAsIs() throws Exception {
        for (String path : List.of("/api/v2/cron/detail", "/api/v2/cron/info")) {
            Map<String, Object> detail = call(path, Map.of("cron_id", CRON_ID));
            assertEquals("true", detail.get("flag"), String.valueOf(detail));
            assertEquals(Map.of("ip", "127.0.0.2", "rule", "0/5 * * * * ?", "cron_flag", 1), detail.get("result"));
        }
    }

    @Test
    void listAnswersTheCrons() throws Exception {
        Map<String, Object> list = call("/api/v2/cron/list", Map.of("ip", "127.0.0.2"));
        assertEquals("true", list.get("flag"), String.valueOf(list));
        assertEquals(List.of(Map.of("id", CRON_ID, "app", "apptest", "rule", "0/5 * * * * ?")), list.get("result"));
        assertEquals(Map.of("ip", "127.0.0.2"), received.get("cronList"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void agentDetailWithShowcronListsTheAgentsCronIds() throws Exception {
        AgentInfo info = new AgentInfo();
        info.setIp("127.0.0.2");
        info.setId("two");
        info.setVersion("test");
        info.setApps("{\"apptest\":\"1.0.0\"}");
        info.setPort(freePort());
        try (TSocket s = new TSocket("127.0.0.1", heartbeatPort)) {
            s.open();
            new HeartbeatService.Client(new TBinaryProtocol(s)).heartbeatPackage(info);
        }
        Map<String, Object> plain = call("/api/v2/info/agents/detail", Map.of("ip", "127.0.0.2"));
        assertEquals("true", plain.get("flag"), String.valueOf(plain));
        assertNull(((Map<String, Object>) plain.get("result")).get("cron_list"));
        assertTrue(received.isEmpty(), received::toString);

        Map<String, Object> detail = call("/api/v2/info/agents/detail", Map.of("ip", "127.0.0.2", "showcron", "true"));
        assertEquals("true", detail.get("flag"), String.valueOf(detail));
        Map<String, Object> result = (Map<String, Object>) detail.get("result");
        assertEquals("127.0.0.2", result.get("ip"));
        assertEquals(List.of(CRON_ID), result.get("cron_list"));
        assertNull(result.get("apps"));

        Map<String, Object> unknown = call("/api/v2/info/agents/detail", Map.of("ip", "127.0.0.99", "showcron", "true"));
        assertTrue(String.valueOf(unknown.get("error")).startsWith("[414.1]"), String.valueOf(unknown));
    }

    @Test
    void theOpenApiDocumentDescribesTheCronPaths() throws Exception {
        String doc = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + apiPort + "/api/v2/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String path : List.of("add", "start", "stop", "delete", "detail", "info", "list")) {
            assertTrue(doc.contains("/cron/" + path), path + " in " + doc);
        }
    }

    @Test
    void hmacSignedGetAndPostPassTheRouteAndAReplayIsRefused() throws Exception {
        Map<String, String> business = Map.of("ip", "127.0.0.99", "showcron", "true");
        String path = "/api/v2/info/agents/detail";
        String nonce = "routes-" + TaskIds.next();
        HttpResponse<String> get = hmacCall("GET", path, business, nonce);
        assertTrue(get.body().contains("[414.1]"), get.body()); // past the guard: the agent is unknown
        HttpResponse<String> replay = hmacCall("GET", path, business, nonce);
        assertEquals(401, replay.statusCode());
        assertTrue(replay.body().contains("[401.9]Unauthorized Nonce Replayed"), replay.body());
        HttpResponse<String> post = hmacCall("POST", path, business, "routes-" + TaskIds.next());
        assertTrue(post.body().contains("[414.1]"), post.body());
    }

    @Test
    void anMd5SignedFormBodyIsRead() throws Exception {
        // platform-http hands a form body over decoded, as a map: the guard must read that too
        String path = "/api/v2/info/agents/detail";
        Map<String, String> params = new TreeMap<>(Map.of("ip", "127.0.0.99", "showcron", "true"));
        params.put("auth_id", "tester");
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        params.put("sign_type", "MD5");
        params.put("sign", ApiSignature.sign(path, params, "secret"));
        HttpResponse<String> post = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString(form(params))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(post.body().contains("[414.1]"), post.body());
    }

    private static String form(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return q.toString();
    }

    /** An hmac-sha256 call; a POST sends the parameters as a form body, signed as POST. */
    private static HttpResponse<String> hmacCall(String method, String path, Map<String, String> business,
                                                 String nonce) throws Exception {
        Map<String, String> params = new TreeMap<>(business);
        params.put("auth_id", "tester");
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        params.put("nonce", nonce);
        params.put("sign_type", "hmac-sha256");
        params.put("sign", ApiSignature.hmacSign(method, path, params, "secret"));
        String q = form(params);
        URI base = URI.create("http://127.0.0.1:" + apiPort + path);
        HttpRequest request = "POST".equals(method)
                ? HttpRequest.newBuilder(base).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(q)).build()
                : HttpRequest.newBuilder(URI.create(base + "?" + q)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> call(String path, Map<String, String> business) throws Exception {
        Map<String, String> params = new TreeMap<>(business);
        params.put("auth_id", "tester");
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        params.put("sign_type", "MD5");
        params.put("sign", ApiSignature.sign(path, params, "secret"));
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + apiPort + path + "?" + q)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.object(response.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package org.elves.center.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.elves.center.Component;
import org.elves.center.ComponentRoutes;
import org.elves.center.rpc.Replies;
import org.elves.protocol.ApiSignature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI component's routes alone, over HTTP: a signed request to an endpoint reaches the
 * component.function its route names with the body its bean builds, a refused one reaches nothing,
 * and the answer comes back in the reference's envelope. The components called are a mock.
 */
@CamelMainTest(mockEndpointsAndSkip = ComponentRoutes.OUTGOING)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiRoutesTest {
    private static final String AUTH_ID = "routes";
    private static final String SECRET = "routes-secret";
    private final ComponentRoutes openapi = new ComponentRoutes(Component.OPENAPI, Map.of(
            "elves.openapi.auth.id", AUTH_ID, "elves.openapi.auth.key", SECRET,
            "elves.openapi.supervisor-keys", "false", "elves.timeout", "40")).withHttpServer();
    private final HttpClient http = HttpClient.newHttpClient();

    @Configure
    void configure(MainConfigurationProperties main) {
        openapi.configure(main);
    }

    @BeforeEach
    void componentsAnswerWhatTheyWereAsked() {
        openapi.calls().reset();
        openapi.answerCalls(called -> switch (called.func()) {
            case "addTask" -> Map.of("flag", "true", "error", "", "id", "B39B1E8FA1B43BA4");
            case "appList" -> Replies.ok(Map.of("apptest", Map.of("versions", List.of("1.0"), "agents", 2)));
            default -> Replies.ok(Map.of("asked", called.to() + "." + called.func()));
        });
    }

    @Test
    void aRealtimeTaskGoesToTheSchedulersSyncJobWithItsDefaults() throws Exception {
        JsonNode answer = call("GET", "/api/v2/rt/exec", Map.of("ip", "10.0.0.1", "app", "apptest", "func", "helloword"), 200);
        assertEquals("scheduler.syncJob", answer.get("result").get("asked").asText());
        ComponentRoutes.Called called = onlyCall();
        Map<String, Object> expected = new LinkedHashMap<>();
        // the OpenAPI names the task, so the Watcher hears of it from its acceptance on
        assertTrue(String.valueOf(called.body().get("id")).matches("[0-9A-F]{16}"), called.body()::toString);
        expected.put("id", called.body().get("id"));
        expected.put("ip", "10.0.0.1");
        expected.put("app", "apptest");
        expected.put("func", "helloword");
        expected.put("param", "");
        expected.put("timeout", 40);
        expected.put("proxy", "");
        assertEquals(expected, called.body());
    }

    @Test
    void aQueueTaskByPostFormIsAddedAndAnsweredWithItsId() throws Exception {
        JsonNode answer = call("POST", "/api/v2/queue/addtask", Map.of("queue_id", "A49B1E8FA1B43BC5", "ip", "10.0.0.2",
                "func", "helloword", "mode", "p", "depend_task_id", "C49B1E8FA1B43BC5"), 200);
        assertEquals("B39B1E8FA1B43BA4", answer.get("result").get("id").asText(), "idResult shapes the answer");
        ComponentRoutes.Called called = onlyCall();
        assertEquals("queue", called.to());
        assertEquals("addTask", called.func());
        assertEquals("A49B1E8FA1B43BC5", called.body().get("id"));
        assertEquals("P", called.body().get("mode"));
        assertEquals("C49B1E8FA1B43BC5", called.body().get("depend_task_id"));
        assertEquals(AUTH_ID, called.body().get("caller"), "the caller, for the Queue's ownership check");
    }

    @Test
    void theFirstBadParameterInTheDeclaredOrderAnswersItsCodeAndNothingIsCalled() throws Exception {
        JsonNode badIp = call("GET", "/api/v2/cron/add", Map.of("app", "apptest", "func", "helloword", "ip", "10.0.0",
                "rule", "not a rule"), 403);
        assertTrue(badIp.get("error").asText().startsWith("[403.1]"), badIp.toString());
        JsonNode badRule = call("GET", "/api/v2/cron/add", Map.of("app", "apptest", "func", "helloword", "ip", "10.0.0.3",
                "rule", "not a rule"), 403);
        assertTrue(badRule.get("error").asText().startsWith("[403.5]"), badRule.toString());
        assertEquals(0, openapi.calls().getReceivedCounter());
    }

    @Test
    void anAdminKeyAsksTheHeartbeatForAppsAndAnotherMethodIsRefused() throws Exception {
        JsonNode apps = call("GET", "/api/v2/info/app", Map.of(), 200);
        assertEquals("heartbeat", onlyCall().to());
        assertEquals("apptest", apps.get("result").get(0).get("app").asText());
        assertEquals("1.0", apps.get("result").get(0).get("app_ver").asText());

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v2/info/app"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode(), put.body());
        assertTrue(put.body().contains("[405.1]"), put.body());
    }

    @Test
    void theServedDocumentDescribesEveryEndpointTheRoutesDeclare() throws Exception {
        HttpResponse<String> doc = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v2/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, doc.statusCode());
        JsonNode paths = new ObjectMapper().readTree(doc.body()).get("paths");
        List<ApiEndpoint> declared = new DeclaredEndpoints(openapi.config()).all();
        assertEquals(declared.size(), paths.size());
        for (ApiEndpoint endpoint : declared) {
            assertTrue(paths.has("/api/v2" + endpoint.path()), endpoint.path());
        }
    }

    private ComponentRoutes.Called onlyCall() {
        assertEquals(1, openapi.calls().getReceivedCounter());
        return called(0);
    }

    private ComponentRoutes.Called called(int index) {
        var exchange = openapi.calls().getReceivedExchanges().get(index);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = exchange.getMessage().getBody(Map.class);
        return new ComponentRoutes.Called(exchange.getProperty("ElvesTo", String.class),
                exchange.getProperty("ElvesFunc", String.class), body);
    }

    /** A request signed with md5 as the reference's clients sign it; its answer's envelope. */
    private JsonNode call(String method, String path, Map<String, String> business, int status) throws Exception {
        Map<String, String> params = new TreeMap<>(business);
        params.put("auth_id", AUTH_ID);
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        params.put("sign", ApiSignature.sign(path, params, SECRET));
        params.put("sign_type", "md5");
        StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = method.equals("GET")
                ? HttpRequest.newBuilder(URI.create(base() + path + "?" + form)).GET().build()
                : HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), response.body());
        return new ObjectMapper().readTree(response.body());
    }

    private String base() {
        return "http://127.0.0.1:" + openapi.config().requireInt("elves.openapi.port");
    }
}

package org.elves.center.supervisor;

import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.elves.center.Component;
import org.elves.center.ComponentRoutes;
import org.elves.center.ComponentRoutes.Called;
import org.elves.protocol.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Supervisor's routes alone, with its own HTTP server as Center gives it: the admin's calls
 * through rpc-serve as its inbox hands them over, the tables the Heartbeat and the OpenAPI poll,
 * a package download over HTTP, and app/status, which asks the Heartbeat (a mock) for its agents.
 * Every test works on an app of its own.
 */
@CamelMainTest(mockEndpointsAndSkip = ComponentRoutes.OUTGOING,
        replaceRouteFromWith = "supervisor-inbox=direct:supervisor-inbox-not-consuming")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupervisorRoutesTest {
    private final ComponentRoutes supervisor = new ComponentRoutes(Component.SUPERVISOR,
            Map.of("elves.supervisor.package-url", "http://center:9091/packages/")).withHttpServer();

    @Configure
    void configure(MainConfigurationProperties main) {
        supervisor.configure(main);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUploadedVersionPutOnlineAndDeployedReachesTheHeartbeatsTableAndDownloadsOverHttp() throws Exception {
        byte[] v1 = SupervisorRulesTest.zip("echo 1");
        admin("appCreate", "app", "deployed", "name", "Deployed app");
        upload("deployed", "1.0", v1, AppCatalogue.sha256(v1));
        admin("appOnline", "app", "deployed", "version", "1.0");
        admin("appDeploy", "app", "deployed", "agents", "10.3.0.1, 10.3.0.2");

        Map<String, Object> table = (Map<String, Object>) ok("heartbeat", "deployTable", Map.of("version", "")).get("result");
        Map<String, Object> app = ((List<Map<String, Object>>) table.get("apps")).stream()
                .filter(a -> "deployed".equals(a.get("app"))).findFirst().orElseThrow();
        assertEquals("1.0", app.get("version"));
        assertEquals(AppCatalogue.sha256(v1), app.get("sha256"));
        assertEquals("http://center:9091/packages/deployed/1.0", app.get("url"));
        assertEquals(List.of("10.3.0.1", "10.3.0.2"), app.get("agents"));
        // the Heartbeat's next poll with the version it holds: nothing changed, no data
        Map<String, Object> again = (Map<String, Object>) ok("heartbeat", "deployTable",
                Map.of("version", table.get("version"))).get("result");
        assertEquals(Map.of("version", table.get("version"), "changed", false), again);

        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + supervisor.config().require("elves.supervisor.port") + "/packages/deployed/1.0")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(v1, download.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void appStatusJoinsTheDeploymentWithWhatTheHeartbeatsAgentsReport() throws Exception {
        byte[] v2 = SupervisorRulesTest.zip("echo 2");
        admin("appCreate", "app", "watched");
        upload("watched", "2.0", v2, AppCatalogue.sha256(v2));
        admin("appOnline", "app", "watched", "version", "2.0");
        admin("appDeploy", "app", "watched", "agents", "10.3.1.1");
        supervisor.answerCalls(called -> Map.of("flag", "true", "error", "", "count", 2, "result", List.of(
                Map.of("ip", "10.3.1.1", "last_hb_time", "2026-01-01 00:00:00", "apps", Map.of("watched", "1.0"),
                        "app_status", Map.of("watched", Map.of("state", "failed", "error", "sha256 mismatch"))),
                Map.of("ip", "10.3.1.9", "last_hb_time", "2026-01-01 00:00:01", "apps", Map.of("other", "1")))));

        Map<String, Object> status = ok("openapi", "appStatus", Map.of("app", "watched"));

        List<Called> asked = supervisor.calls().getReceivedExchanges().stream()
                .map(e -> new Called(e.getProperty("ElvesTo", String.class), e.getProperty("ElvesFunc", String.class), Map.of()))
                .toList();
        assertEquals(List.of(new Called("heartbeat", "agentList", Map.of())), asked);
        assertEquals(List.of(Map.of("ip", "10.3.1.1", "wanted", "2.0", "installed", "1.0", "state", "failed",
                "error", "sha256 mismatch", "last_hb_time", "2026-01-01 00:00:00")), status.get("result"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGrantedKeyIsValidatedForItsAppAndAgentsAndPublishedToTheOpenApi() {
        admin("appCreate", "app", "granted");
        Map<String, Object> key = (Map<String, Object>) admin("keyCreate", "name", "team a").get("result");
        String authId = String.valueOf(key.get("auth_id"));
        admin("keyGrant", "auth_id", authId, "app", "granted", "agents", "10.3.2.1");

        assertEquals("true", ok("openapi", "validateAuth", Map.of("auth_id", authId, "app", "granted", "ip", "10.3.2.1")).get("result"));
        assertEquals("false", ok("openapi", "validateAuth", Map.of("auth_id", authId, "app", "granted", "ip", "10.3.2.2")).get("result"));
        Map<String, Object> table = (Map<String, Object>) ok("openapi", "keyTable", Map.of("version", "")).get("result");
        Map<String, Object> published = ((List<Map<String, Object>>) table.get("keys")).stream()
                .filter(k -> authId.equals(k.get("auth_id"))).findFirst().orElseThrow();
        assertEquals(key.get("key"), published.get("secret"));
        assertEquals(Map.of("granted", List.of("10.3.2.1")), published.get("grants"));
    }

    @Test
    void badRequestsAreRefusedWithTheReferenceCodesAndLeaveNoTrace() throws Exception {
        byte[] good = SupervisorRulesTest.zip("echo 1");
        admin("appCreate", "app", "refused");
        assertTrue(error(uploadBody("refused", "1.0", good, "0".repeat(64))).startsWith("[403.14]Request Params (package) Illegal"));
        assertTrue(error(body("app", "App_Test")).startsWith("[403.3]Request Params (app) Illegal"), "appCreate");
        assertTrue(error(uploadBody("nosuch", "1.0", good, AppCatalogue.sha256(good))).startsWith("[413.2]App Not Found"));
        String online = String.valueOf(supervisor.call("admin", "appOnline", body("app", "refused", "version", "1.0")).body().get("error"));
        assertTrue(online.startsWith("[413.3]App Version Not Found"), online);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> audit = (List<Map<String, Object>>) admin("audit").get("result");
        assertEquals(List.of("app.create"), audit.stream().filter(a -> String.valueOf(a.get("target")).contains("refused"))
                .map(a -> a.get("action")).toList());
    }

    /** The error of a refused appCreate (app name) or appUpload (anything else). */
    private String error(Map<String, Object> body) {
        String func = body.containsKey("data") ? "appUpload" : "appCreate";
        Envelope reply = supervisor.call("admin", func, body);
        assertEquals("false", reply.body().get("flag"), reply::toString);
        return String.valueOf(reply.body().get("error"));
    }

    private Map<String, Object> admin(String func, Object... keysAndValues) {
        Map<String, Object> reply = ok("admin", func, body(keysAndValues));
        assertEquals("true", reply.get("flag"), reply::toString);
        return reply;
    }

    private void upload(String app, String version, byte[] data, String sha256) {
        Map<String, Object> reply = ok("admin", "appUpload", uploadBody(app, version, data, sha256));
        assertEquals("true", reply.get("flag"), reply::toString);
    }

    private Map<String, Object> ok(String from, String func, Map<String, Object> body) {
        Envelope reply = supervisor.call(from, func, body);
        assertTrue(reply.ok(), reply::toString);
        return reply.body();
    }

    private static Map<String, Object> uploadBody(String app, String version, byte[] data, String sha256) {
        return body("app", app, "version", version, "sha256", sha256, "data", Base64.getEncoder().encodeToString(data));
    }

    /** A body from the admin page: its fields, and who acts. */
    private static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        body.put("actor", "admin");
        return body;
    }
}

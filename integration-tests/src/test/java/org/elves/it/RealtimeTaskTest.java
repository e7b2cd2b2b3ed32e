package org.elves.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.elves.agent.AgentFleet;
import org.elves.cli.api.ApiResponse;
import org.elves.center.Component;
import org.elves.protocol.ErrorCode;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator runs app functions on machines through the signed API, the whole center in one JVM
 * (the standalone shape), three agents on 127.0.0.2-4, the real RabbitMQ, embedded ZooKeeper and
 * MongoDB.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealtimeTaskTest {
    private static final List<String> MACHINES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    /** More callers at once than any one pool in the path had by default (Vert.x 20, handlers 8). */
    private static final int CALLERS_AT_ONCE = 40;
    private static Path rendezvous;
    private static LocalCluster cluster;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().components(List.of(Component.values())).start();
        Path apps = cluster.agentSettings("127.0.0.2").build().appsDir();
        ShellApps.write(apps.resolve("slowapp"), "sleep 30\necho '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>late</ElvesWResult>'\n");
        rendezvous = Files.createTempDirectory("elves-rendezvous");
        for (String ip : MACHINES) {
            // each worker checks in, then waits (at most 30 s by the clock: a loaded machine makes
            // loops slow) until all callers' workers run at once
            ShellApps.write(cluster.agentSettings(ip).build().appsDir().resolve("meetapp"), """
                    touch "%1$s/$$"
                    end=$(( $(date +%%s) + 30 ))
                    while [ "$(ls "%1$s" | wc -l)" -lt %2$d ] && [ "$(date +%%s)" -lt $end ]; do sleep 0.2; done
                    echo "<ElvesWFlag>true</ElvesWFlag><ElvesWResult>$(ls "%1$s" | wc -l) met</ElvesWResult>"
                    """.formatted(rendezvous, CALLERS_AT_ONCE));
        }
        cluster.startAgents(MACHINES, b -> b);
        cluster.awaitOnline(MACHINES, Duration.ofSeconds(15));
        api = Api.of(cluster);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (rendezvous != null) {
            try (var files = Files.list(rendezvous)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(rendezvous);
        }
    }

    @Test
    void theExampleAppAnswersOnEveryMachine() {
        for (String ip : MACHINES) {
            ApiResponse r = api.rt(ip, "apptest", "helloword", "{\"my\":\"hi " + ip + "\"}", 30);
            assertTrue(r.ok(), r.error());
            assertEquals("1", r.resultText("worker_flag"));
            assertEquals("hi " + ip, r.resultText("worker_message"));
            assertEquals(16, r.resultText("id").length());
            assertTrue(Integer.parseInt(r.resultText("worker_costtime")) >= 0);
        }
    }

    @Test
    void fortyCallersAtOnceAreServedTogetherNotInTurns() throws Exception {
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(CALLERS_AT_ONCE);
        try {
            List<java.util.concurrent.Future<ApiResponse>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < CALLERS_AT_ONCE; i++) {
                String ip = MACHINES.get(i % MACHINES.size());
                calls.add(callers.submit(() -> api.rt(ip, "meetapp", "meet", null, 60)));
            }
            List<String> answers = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<ApiResponse> call : calls) {
                ApiResponse r = call.get(90, TimeUnit.SECONDS);
                answers.add(!r.answered() ? "no answer: " + r.noAnswerReason()
                        : r.ok() ? r.resultText("worker_message") : r.error());
            }
            // a call that had to wait for another to end finds fewer than all workers checked in
            assertEquals(java.util.Collections.nCopies(CALLERS_AT_ONCE, CALLERS_AT_ONCE + " met"), answers,
                    "every worker ran while all others did");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aWorkerThatReportsFailureGivesWorkerFlagZero() {
        ApiResponse r = api.rt("127.0.0.3", "apptest", "helloword", "{\"other\":1}", 30);
        assertTrue(r.ok(), r.error());
        assertEquals("0", r.resultText("worker_flag"));
    }

    @Test
    void aWorkerPastItsTimeoutIsKilledAndReported() {
        long started = System.nanoTime();
        ApiResponse r = api.rt("127.0.0.2", "slowapp", "wait", null, 1);
        assertTrue(r.ok(), r.error());
        assertEquals("-1", r.resultText("worker_flag"));
        assertEquals("app exec timeout", r.resultText("worker_message"));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "answered soon after the timeout");
    }

    @Test
    void unknownAndOfflineAgentsAndUnknownAppsHaveTheirCodes() throws Exception {
        assertEquals(ErrorCode.AGENT_NOT_FOUND, api.rt("127.0.0.99", "apptest", "helloword", null, 5).errorCode());
        assertEquals(ErrorCode.APP_NOT_FOUND, api.rt("127.0.0.2", "noapp", "f", null, 5).errorCode());

        AgentFleet leaving = cluster.startAgents(List.of("127.0.0.5"), b -> b);
        cluster.awaitOnline(List.of("127.0.0.5"), Duration.ofSeconds(10));
        assertTrue(api.rt("127.0.0.5", "apptest", "helloword", "{\"my\":\"x\"}", 5).ok());
        leaving.close();
        // online means a heartbeat within 3 periods; the test agents beat every second
        Thread.sleep(3500);
        ApiResponse offline = api.rt("127.0.0.5", "apptest", "helloword", "{\"my\":\"x\"}", 5);
        assertEquals(ErrorCode.AGENT_OFFLINE, offline.errorCode(), offline.error());
        assertEquals(414, offline.httpStatus());
    }

    @Test
    void anAgentRefusesASchedulerItWasNotToldToObey() throws Exception {
        cluster.startAgents(List.of("127.0.0.6"), b -> b.authips(List.of("127.0.0.9")));
        cluster.awaitOnline(List.of("127.0.0.6"), Duration.ofSeconds(10));
        ApiResponse r = api.rt("127.0.0.6", "apptest", "helloword", "{\"my\":\"x\"}", 5);
        assertEquals(ErrorCode.SEND_JOB_FAIL, r.errorCode(), r.error());
    }

    @Test
    void badRequestsAreRefusedWithTheReferenceCodes() {
        Api wrongKey = Api.as(cluster, cluster.authId(), "not-the-key", Clock.systemUTC());
        ApiResponse badSign = wrongKey.rt("127.0.0.2", "apptest", "helloword", null, 5);
        assertEquals(ErrorCode.SIGN_ERROR, badSign.errorCode());
        assertEquals(401, badSign.httpStatus());

        Clock tenMinutesAgo = Clock.fixed(Instant.now().minusSeconds(600), ZoneOffset.UTC);
        assertEquals(ErrorCode.SIGN_TIMEOUT, Api.as(cluster, cluster.authId(), cluster.authKey(), tenMinutesAgo)
                .rt("127.0.0.2", "apptest", "helloword", null, 5).errorCode());
        assertEquals(ErrorCode.AUTH_ID_NOT_FOUND, Api.as(cluster, "nobody", cluster.authKey(), Clock.systemUTC())
                .rt("127.0.0.2", "apptest", "helloword", null, 5).errorCode());

        assertEquals(ErrorCode.PARAM_APP, api.call("/api/v2/rt/exec", Map.of("ip", "127.0.0.2", "func", "f")).errorCode());
        assertEquals(ErrorCode.PARAM_FUNC, api.call("/api/v2/rt/exec", Map.of("ip", "127.0.0.2", "app", "apptest")).errorCode());
        assertEquals(ErrorCode.PARAM_IP, api.rt("127.0.0.300", "apptest", "helloword", null, 5).errorCode());
        assertEquals(ErrorCode.PARAM_PARAM, api.rt("127.0.0.2", "apptest", "helloword", "{not json", 5).errorCode());
        assertEquals(ErrorCode.PARAM_TIMEOUT, api.call("/api/v2/rt/exec",
                Map.of("ip", "127.0.0.2", "app", "apptest", "func", "f", "timeout", "soon")).errorCode());
    }

    @Test
    void infoEndpointsDescribeAgentsAndApps() {
        ApiResponse agents = api.call("/api/v2/info/agents", Map.of());
        assertTrue(agents.ok(), agents.error());
        Set<String> ips = new java.util.HashSet<>();
        agents.result().forEach(n -> ips.add(n.asText()));
        assertTrue(ips.containsAll(MACHINES), ips.toString());

        ApiResponse detail = api.call("/api/v2/info/agents/detail", Map.of("ip", "127.0.0.3"));
        assertTrue(detail.ok(), detail.error());
        assertEquals("127.0.0.3", detail.resultText("ip"));
        assertEquals("127.0.0.3", detail.resultText("asset"));
        assertNotNull(detail.result().get("last_hb_time"));
        assertEquals(null, detail.result().get("apps"));
        assertEquals(ErrorCode.AGENT_NOT_FOUND, api.call("/api/v2/info/agents/detail", Map.of("ip", "127.0.0.98")).errorCode());
        // showcron=true (cron_list from the Cron component's cronList; 402.2 when
        // elves.openapi.cron.enabled=false) is covered by routes' CronRoutesTest

        ApiResponse apps = api.call("/api/v2/info/app", Map.of());
        assertTrue(apps.ok(), apps.error());
        assertTrue(apps.result().toString().contains("\"app\":\"apptest\""), apps.result().toString());
    }

    @Test
    void theApiDescribesItselfInAnOpenApiDocument() throws Exception {
        java.net.http.HttpResponse<String> doc = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.apiUrl() + "/api/v2/openapi.json")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, doc.statusCode());
        // the JDK's client asks for cleartext HTTP/2 by default; answering in it corrupted one
        // large answer in a few hundred (CenterHttpServer), so the center stays with HTTP/1.1
        assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, doc.version());
        for (String path : List.of("/api/v2/rt/exec", "/api/v2/info/app", "/api/v2/info/agents", "/api/v2/info/agents/detail")) {
            assertTrue(doc.body().contains("\"" + path + "\""), path + " in " + doc.body());
        }
    }

    @Test
    void anAnswerTheDocumentDoesNotAllowIsCaught() {
        OpenApiAnswers document = OpenApiAnswers.of(cluster.apiUrl());
        document.check("GET", "/api/v2/rt/exec", ApiResponse.answer(403, "{\"flag\":\"false\",\"error\":\"[403.1]Request Params (ip) Illegal\"}"));
        assertThrows(AssertionError.class, () -> document.check("GET", "/api/v2/rt/exec",
                ApiResponse.answer(418, "{\"flag\":\"false\",\"error\":\"[403.1]Request Params (ip) Illegal\"}")), "a status not listed");
        assertThrows(AssertionError.class, () -> document.check("GET", "/api/v2/rt/exec",
                ApiResponse.answer(200, "{\"flag\":\"false\",\"error\":\"\"}")), "a 200 whose flag is false");
        assertThrows(AssertionError.class, () -> document.check("GET", "/api/v2/rt/exec",
                ApiResponse.answer(403, "{\"flag\":\"false\",\"error\":\"[412.1]Queue Not Found\"}")), "a code of another status");
        assertThrows(AssertionError.class, () -> document.check("GET", "/api/v2/rt/nothing",
                ApiResponse.answer(200, "{\"flag\":\"true\",\"error\":\"\"}")), "a path not described");
    }

    @Test
    void everyTaskIsRecordedInMongoDb() throws Exception {
        ApiResponse r = api.rt("127.0.0.4", "apptest", "helloword", "{\"my\":\"stored\"}", 30);
        String id = r.resultText("id");
        try (MongoClient mongo = MongoClients.create(cluster.mongoUri())) {
            Document task = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (task == null && System.nanoTime() < deadline) {
                task = mongo.getDatabase("elves").getCollection("tasks").find(new Document("_id", id)).first();
                Thread.sleep(50);
            }
            assertNotNull(task, "task " + id + " recorded");
            assertEquals("succeeded", task.getString("state"));
            assertEquals("127.0.0.4", task.getString("ip"));
            assertEquals("stored", task.getString("worker_message"));
        }
    }

    @Test
    void theCliRunsOneCallOnManyMachines() throws Exception {
        try (JavaProcess cli = JavaProcess.start("cli", Map.of(
                        "ELVES_API", cluster.apiUrl(), "ELVES_AUTH_ID", cluster.authId(), "ELVES_AUTH_KEY", cluster.authKey(),
                        "ELVES_HOME", Files.createTempDirectory("cli-home").toString()),
                "org.elves.cli.ElvesCli", List.of("exec", "--ip", String.join(",", MACHINES) + ",127.0.0.97",
                        "--app", "apptest", "--func", "helloword", "--param", "{\"my\":\"fan\"}", "--json"))) {
            int exit = cli.awaitExit(Duration.ofSeconds(60));
            String out = cli.output();
            assertEquals(1, exit, out);
            assertTrue(out.contains("\"ok\" : 3"), out);
            assertTrue(out.contains("\"failed\" : 1"), out);
            assertTrue(out.contains("[414.1]"), out);
        }
    }
}

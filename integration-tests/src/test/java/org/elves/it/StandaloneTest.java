package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.apps.AppInstaller;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import org.elves.cli.api.Md5Signer;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A newcomer runs `elves standalone`, pastes the printed command and gets the example app's answer;
 * a second start is refused; Ctrl-C stops it. The example apps are in the Supervisor: a key made
 * with the CLI for apptest gets the reference's app object and its agents, the agent keeps the
 * copy installed by hand, and a restart registers nothing twice.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StandaloneTest {

    @Test
    void standaloneStartsAnswersRefusesASecondStartAndStops(@TempDir Path home) throws Exception {
        String apiPort = String.valueOf(freePort());
        List<String> args = List.of("standalone", "--home", home.toString(), "--api-port", apiPort,
                "--agent-ip", "127.0.0.31", "--agent-port", String.valueOf(freePort()),
                "--heartbeat-port", String.valueOf(freePort()), "--scheduler-port", String.valueOf(freePort()));
        Map<String, String> env = Map.of("ELVES_HOME", home.toString());
        // apptest installed by hand beforehand, with a file of the operator's: the deployment must leave it alone
        Path byHand = AppInstaller.installExample("apptest", home.resolve("agent").resolve("apps")).resolve("by-hand.txt");
        Files.writeString(byHand, "mine");
        JsonNode teamKey;
        try (JavaProcess standalone = JavaProcess.start("standalone", env, "org.elves.cli.ElvesCli", args)) {
            standalone.awaitOutput("Ctrl-C stops everything", Duration.ofSeconds(60));
            String banner = standalone.output();
            assertTrue(banner.contains("./elves exec --ip 127.0.0.31 --app apptest --func helloword"), banner);
            assertTrue(banner.contains("curl -s 'http://127.0.0.1:" + apiPort + "/api/v2/rt/exec?"), banner);
            assertTrue(Files.exists(home.resolve("credentials.properties")));

            // the printed CLI call, with nothing but ELVES_HOME (the credentials file) to go on
            try (JavaProcess exec = JavaProcess.start("exec", env, "org.elves.cli.ElvesCli", List.of(
                    "exec", "--ip", "127.0.0.31", "--app", "apptest", "--func", "helloword", "--param", "{\"my\":\"from the banner\"}"))) {
                assertEquals(0, exec.awaitExit(Duration.ofSeconds(60)), exec.output());
                assertTrue(exec.output().contains("from the banner"), exec.output());
            }

            // the same call, its output shown as the worker writes it
            try (JavaProcess follow = JavaProcess.start("follow", env, "org.elves.cli.ElvesCli", List.of(
                    "exec", "--ip", "127.0.0.31", "--app", "apptest", "--func", "helloword", "--param", "{\"my\":\"followed\"}",
                    "--follow"))) {
                assertEquals(0, follow.awaitExit(Duration.ofSeconds(60)), follow.output());
                assertTrue(follow.output().contains("<ElvesWResult>followed</ElvesWResult>"), follow.output());
            }
            // what ran: the Watcher's logs, newest first, and one task's story
            JsonNode logs = cli(env, "logs", "--app", "apptest", "--json");
            JsonNode newest = logs.get("rt_exec_logs").get(0);
            assertEquals("helloword", newest.get("func").asText(), logs.toString());
            try (JavaProcess story = JavaProcess.start("story", env, "org.elves.cli.ElvesCli",
                    List.of("logs", newest.get("log_id").asText()))) {
                assertEquals(0, story.awaitExit(Duration.ofSeconds(60)), story.output());
                assertTrue(story.output().contains("TIMELINE") && story.output().contains("agent_started"), story.output());
            }

            teamKey = cli(env, "key", "create", "--name", "team", "--app", "apptest", "--ip", "127.0.0.31", "--json");
            ElvesApiClient team = client(apiPort, teamKey.get("auth_id").asText(), teamKey.get("key").asText());
            assertExampleAppsInfo(team);
            ElvesApiClient admin = admin(home, apiPort);
            JsonNode status = await(admin, "/api/v2/admin/app/status", Map.of("app", "apptest"),
                    r -> r.ok() && r.result().toString().contains("\"state\":\"installed\""));
            assertEquals("1.0.0", status.get(0).get("installed").asText(), status.toString());
            assertEquals("127.0.0.31", status.get(0).get("ip").asText(), status.toString());
            assertTrue(Files.exists(byHand), "the copy installed by hand is kept, not re-installed");

            try (JavaProcess second = JavaProcess.start("second", env, "org.elves.cli.ElvesCli", args)) {
                int exit = second.awaitExit(Duration.ofSeconds(60));
                assertNotEquals(0, exit);
                assertTrue(second.output().contains("already running"), second.output());
            }

            standalone.terminate();
            standalone.awaitExit(Duration.ofSeconds(30));
            assertTrue(standalone.output().contains("elves standalone: stopping"), standalone.output());
        }

        // a restart on the same home registers nothing again, and the key still gets its app
        try (JavaProcess again = JavaProcess.start("again", env, "org.elves.cli.ElvesCli", args)) {
            again.awaitOutput("Ctrl-C stops everything", Duration.ofSeconds(60));
            ElvesApiClient admin = admin(home, apiPort);
            assertExampleAppsInfo(client(apiPort, teamKey.get("auth_id").asText(), teamKey.get("key").asText()));
            JsonNode audit = call(admin, "/api/v2/admin/audit", Map.of("limit", "1000")).result();
            for (String action : List.of("app.create", "app.upload", "app.online", "app.deploy")) {
                assertEquals(1, audited(audit, action, "apptest").size(), action + " of apptest once across two starts: " + audit);
            }
            JsonNode apps = call(admin, "/api/v2/admin/app/list", Map.of()).result();
            assertEquals(2, apps.size(), "the two examples: " + apps);
            for (JsonNode app : apps) {
                assertEquals(1, app.get("versions").size(), app.toString());
                assertEquals("standalone", audited(audit, "app.upload", app.get("app").asText()).get(0).get("actor").asText(),
                        audit.toString());
            }
            assertTrue(Files.exists(byHand));
            again.terminate();
            again.awaitExit(Duration.ofSeconds(30));
        }
    }

    /** /api/v2/info/app and /info/agents for a key granted apptest on the agent: the reference's shapes. */
    private static void assertExampleAppsInfo(ElvesApiClient team) throws InterruptedException {
        // OpenAPI learns of a new key within its poll period
        JsonNode app = await(team, "/api/v2/info/app", Map.of(), r -> r.errorCode() != ErrorCode.AUTH_ID_NOT_FOUND);
        assertEquals(List.of("app", "app_name", "app_ver", "last_update_time"), fieldNames(app), app.toString());
        assertEquals("apptest", app.get("app").asText());
        assertEquals("apptest", app.get("app_name").asText());
        assertEquals("1.0.0", app.get("app_ver").asText(), "apps/examples/apptest/VERSION");
        assertTrue(app.get("last_update_time").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), app.toString());
        JsonNode agents = call(team, "/api/v2/info/agents", Map.of()).result();
        assertEquals(Json.MAPPER.createArrayNode().add("127.0.0.31"), agents);
    }

    /** The CLI as a user runs it, with nothing but ELVES_HOME; its JSON output. */
    private static JsonNode cli(Map<String, String> env, String... args) throws Exception {
        try (JavaProcess cli = JavaProcess.start("cli", env, "org.elves.cli.ElvesCli", List.of(args))) {
            assertEquals(0, cli.awaitExit(Duration.ofSeconds(60)), cli.output());
            String out = cli.output();
            return Json.MAPPER.readTree(out.substring(out.indexOf('{')));
        }
    }

    private static ElvesApiClient admin(Path home, String apiPort) throws Exception {
        Properties credentials = new Properties();
        try (FileReader in = new FileReader(home.resolve("credentials.properties").toFile())) {
            credentials.load(in);
        }
        return client(apiPort, credentials.getProperty("auth_id"), credentials.getProperty("auth_key"));
    }

    private static ElvesApiClient client(String apiPort, String authId, String key) {
        return new ElvesApiClient(new ApiTarget(URI.create("http://127.0.0.1:" + apiPort), authId, key),
                Md5Signer.INSTANCE, Clock.systemUTC());
    }

    private static ApiResponse call(ElvesApiClient client, String path, Map<String, String> params) {
        ApiResponse r = client.call(path, params, Duration.ofSeconds(30));
        assertTrue(r.ok(), path + ": " + r.error());
        return r;
    }

    /** Calls until {@code done} holds (30 s at most), then requires success; the result. */
    private static JsonNode await(ElvesApiClient client, String path, Map<String, String> params,
                                  Predicate<ApiResponse> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ApiResponse r = client.call(path, params, Duration.ofSeconds(30));
        while (!done.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = client.call(path, params, Duration.ofSeconds(30));
        }
        assertTrue(done.test(r) && r.ok(), path + ": " + r.error() + " " + r.result());
        return r.result();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The audit entries of one action on one app (targets are "app" or "app version"). */
    private static List<JsonNode> audited(JsonNode audit, String action, String app) {
        List<JsonNode> entries = new java.util.ArrayList<>();
        for (JsonNode e : audit) {
            if (action.equals(e.get("action").asText()) && e.get("target").asText().split(" ")[0].equals(app)) {
                entries.add(e);
            }
        }
        return entries;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

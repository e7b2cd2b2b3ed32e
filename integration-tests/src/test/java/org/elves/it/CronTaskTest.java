package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Center crons through the signed API, the whole center in one JVM (its Cron the only, hence
 * elected, instance), real agents on 127.0.0.61-62, the real RabbitMQ: a cron fires every second
 * through the Scheduler to its agent, its runs and last result show in detail, list and the
 * agent's detail; stop, start and delete; the reference's codes for wrong requests.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CronTaskTest {
    private static final List<String> MACHINES = List.of("127.0.0.61", "127.0.0.62");
    private static final String APP = "cronclock";
    private static LocalCluster cluster;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().components(List.of(Component.values())).start();
        Path apps = cluster.agentSettings(MACHINES.get(0)).build().appsDir();
        // the worker's start time (ms) as its message
        ShellApps.write(apps.resolve(APP), "echo \"<ElvesWFlag>true</ElvesWFlag><ElvesWResult>$(date +%s%3N)</ElvesWResult>\"\n");
        cluster.startAgents(MACHINES, b -> b);
        cluster.awaitOnline(MACHINES, Duration.ofSeconds(15));
        api = Api.of(cluster);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String add(String ip, String rule, String... extra) {
        Map<String, String> params = new LinkedHashMap<>(Map.of("ip", ip, "app", APP, "func", "tick", "rule", rule));
        for (int i = 0; i < extra.length; i += 2) {
            params.put(extra[i], extra[i + 1]);
        }
        ApiResponse added = api.call("/api/v2/cron/add", params);
        assertTrue(added.ok(), added.error());
        return added.resultText("id");
    }

    @Test
    void aCronFiresEverySecondOnItsAgentAndShowsItsRuns() throws Exception {
        String id = add(MACHINES.get(0), "* * * * * ?", "timezone", "Europe/Berlin", "param", "{\"k\":\"v\"}");
        JsonNode detail = api.cronDetailWhen(id, d -> d.get("history").size() >= 4, Duration.ofSeconds(20));
        assertEquals(1, detail.get("cron_flag").asInt());
        assertEquals("Europe/Berlin", detail.get("timezone").asText());
        assertEquals("center", detail.get("side").asText());
        assertNotEquals("", detail.get("next_fire_time").asText());
        assertNotEquals("", detail.get("last_exec_time").asText());
        assertEquals("1", detail.get("last_exec_result").get("result").get("worker_flag").asText());

        // one run per scheduled second, each keyed (cron id, that second), none started early
        List<Long> seconds = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        for (JsonNode run : detail.get("history")) {
            String key = run.get("run_id").asText();
            assertTrue(key.startsWith(id + "@"), key);
            long fire = Long.parseLong(key.substring(id.length() + 1));
            seconds.add(fire);
            long started = Long.parseLong(run.get("worker_message").asText());
            assertTrue(started >= fire * 1000, "run " + key + " started at " + started + ", before its time");
            delays.add(started - fire * 1000);
        }
        for (int i = 1; i < seconds.size(); i++) {
            assertEquals(seconds.get(i - 1) + 1, seconds.get(i), "consecutive seconds: " + seconds);
        }
        System.out.println("cron: scheduled second to worker start (ms, process start included): " + delays);

        ApiResponse list = api.call("/api/v2/cron/list", Map.of("ip", MACHINES.get(0)));
        assertTrue(list.ok(), list.error());
        assertTrue(list.result().toString().contains(id), list.result().toString());
        ApiResponse agent = api.call("/api/v2/info/agents/detail", Map.of("ip", MACHINES.get(0), "showcron", "true"));
        assertTrue(agent.ok(), agent.error());
        assertTrue(agent.result().get("cron_list").toString().contains(id), agent.result().toString());
        assertTrue(api.call("/api/v2/cron/delete", Map.of("cron_id", id)).ok());
    }

    @Test
    void stoppedCronsRestAndDeletedOnesAreGone() throws Exception {
        String id = add(MACHINES.get(1), "* * * * * ?");
        api.cronDetailWhen(id, d -> d.get("history").size() >= 1, Duration.ofSeconds(10));
        assertTrue(api.call("/api/v2/cron/stop", Map.of("cron_id", id)).ok());
        assertTrue(api.call("/api/v2/cron/stop", Map.of("cron_id", id)).ok(), "stop is idempotent");
        Thread.sleep(1500);
        int runs = api.cronDetailWhen(id, d -> d.get("cron_flag").asInt() == 0, Duration.ofSeconds(5)).get("history").size();
        Thread.sleep(2500);
        JsonNode paused = api.cronDetailWhen(id, d -> true, Duration.ofSeconds(5));
        assertEquals(runs, paused.get("history").size(), "no run while stopped");
        assertEquals("", paused.get("next_fire_time").asText());

        assertTrue(api.call("/api/v2/cron/start", Map.of("cron_id", id)).ok());
        api.cronDetailWhen(id, d -> d.get("history").size() > runs, Duration.ofSeconds(10));

        assertTrue(api.call("/api/v2/cron/delete", Map.of("cron_id", id)).ok());
        assertEquals(ErrorCode.CRON_NOT_FOUND, api.call("/api/v2/cron/detail", Map.of("cron_id", id)).errorCode());
        assertEquals(ErrorCode.CRON_NOT_FOUND, api.call("/api/v2/cron/start", Map.of("cron_id", id)).errorCode());
        assertFalse(api.call("/api/v2/cron/list", Map.of("ip", MACHINES.get(1))).result().toString().contains(id));
    }

    @Test
    void theCliManagesCronsOverTheSameApi() throws Exception {
        String added = cli("cron", "add", "--ip", MACHINES.get(1), "--app", APP, "--func", "tick",
                "--rule", "0 0 3 * * ?", "--timezone", "Asia/Tokyo", "--json");
        JsonNode answer = Json.MAPPER.readTree(added.substring(added.indexOf('{')));
        String id = answer.get("id").asText();
        String info = cli("cron", "info", id);
        assertTrue(info.contains("0 0 3 * * ?") && info.contains("Asia/Tokyo"), info);
        String list = cli("cron", "list", "--ip", MACHINES.get(1));
        assertTrue(list.contains(id), list);
        cli("cron", "delete", id);
        assertEquals(ErrorCode.CRON_NOT_FOUND, api.call("/api/v2/cron/detail", Map.of("cron_id", id)).errorCode());
    }

    /** Runs ./elves with these arguments against this cluster; its output (exit code 0 required). */
    private static String cli(String... args) throws Exception {
        try (JavaProcess cli = JavaProcess.start("cli", Map.of(
                        "ELVES_API", cluster.apiUrl(), "ELVES_AUTH_ID", cluster.authId(), "ELVES_AUTH_KEY", cluster.authKey(),
                        "ELVES_HOME", Files.createTempDirectory("cli-home").toString()),
                "org.elves.cli.ElvesCli", List.of(args))) {
            int exit = cli.awaitExit(Duration.ofSeconds(60));
            assertEquals(0, exit, cli.output());
            return cli.output();
        }
    }

    @Test
    void wrongRequestsGetTheReferenceCodesAndChangeNothing() {
        Map<String, String> good = Map.of("ip", MACHINES.get(1), "app", APP, "func", "tick", "rule", "0/5 * * * * ?");
        assertEquals(ErrorCode.PARAM_CRON_RULE, refusal(good, "rule", "every five seconds"));
        assertEquals(ErrorCode.PARAM_CRON_RULE, refusal(good, "rule", "0 0 8 1 * MON"));
        assertEquals(ErrorCode.PARAM_TIMEZONE, refusal(good, "timezone", "Atlantis/Capital"));
        assertEquals(ErrorCode.PARAM_CRON_SIDE, refusal(good, "side", "both"));
        assertEquals(ErrorCode.PARAM_MODE, refusal(good, "mode", "X"));
        assertEquals(ErrorCode.PARAM_CRON_ID, api.call("/api/v2/cron/detail", Map.of("cron_id", "ABC")).errorCode());
        assertEquals(ErrorCode.CRON_NOT_FOUND, api.call("/api/v2/cron/stop", Map.of("cron_id", "0123456789ABCDEF")).errorCode());
        ApiResponse list = api.call("/api/v2/cron/list", Map.of("ip", "127.0.0.69"));
        assertTrue(list.ok(), list.error());
        assertEquals(0, list.result().size(), "nothing was stored: " + list.result());
    }

    private static ErrorCode refusal(Map<String, String> good, String key, String value) {
        Map<String, String> params = new LinkedHashMap<>(good);
        params.put("ip", "127.0.0.69");
        params.put(key, value);
        return api.call("/api/v2/cron/add", params).errorCode();
    }
}

package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.TaskIds;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator asks "what ran where, when, with what result, and who asked?": the Watcher records
 * every message and every task's story while the center works, and the logs API answers, within
 * the asking key's grants. Two Watchers run as centers of their own here, so they can be stopped
 * and started while tasks flow; everything else is the standalone shape with two agents.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TaskLogsTest {
    private static final String FIRST = "127.0.0.2";
    private static final String SECOND = "127.0.0.3";
    private static final List<String> MACHINES = List.of(FIRST, SECOND);
    /** Output kept per task in this test: small, so a flood shows the truncation. */
    private static final int KEEP_BYTES = 1024;
    private static LocalCluster cluster;
    /** Two Watchers share the tap's queue, as every component runs twice. */
    private static Center watcher;
    private static Center secondWatcher;
    private static Api api;
    private static MongoClient mongo;

    @BeforeAll
    static void start() throws Exception {
        List<Component> others = new ArrayList<>(List.of(Component.values()));
        others.remove(Component.WATCHER);
        cluster = LocalCluster.builder().components(others).agentHeartbeatSeconds(1).start();
        for (String ip : MACHINES) {
            var apps = cluster.agentSettings(ip).build().appsDir();
            // echo: func "ok" says true, anything else false; the param is the result
            ShellApps.write(apps.resolve("echoapp"), """
                    flag=false; [ "$2" = ok ] && flag=true
                    echo "<ElvesWFlag>$flag</ElvesWFlag><ElvesWResult>$(echo "$3" | base64 -d)</ElvesWResult>"
                    """);
            ShellApps.write(apps.resolve("chatty"), """
                    echo "first line"
                    sleep 3
                    echo "second line" >&2
                    echo "<ElvesWFlag>true</ElvesWFlag><ElvesWResult>talked</ElvesWResult>"
                    """);
            // 40 numbered lines of 100 bytes over 4 s (the agent sends every 200 ms: many chunks), far
            // more than the 1 KiB kept at each end
            ShellApps.write(apps.resolve("flood"), """
                    i=1
                    while [ $i -le 40 ]; do printf 'line %03d %090d\\n' $i 0; i=$((i+1)); sleep 0.1; done
                    echo "<ElvesWFlag>true</ElvesWFlag><ElvesWResult>flooded</ElvesWResult>"
                    """);
        }
        cluster.startAgents(MACHINES, b -> b);
        cluster.awaitOnline(MACHINES, Duration.ofSeconds(15));
        api = Api.of(cluster);
        mongo = MongoClients.create(cluster.mongoUri());
        watcher = startWatcher();
        secondWatcher = startWatcher();
    }

    private static Center startWatcher() throws Exception {
        Map<String, String> shared = new HashMap<>(cluster.sharedSettings());
        shared.put("elves.watcher.output.head-bytes", String.valueOf(KEEP_BYTES));
        shared.put("elves.watcher.output.tail-bytes", String.valueOf(KEEP_BYTES));
        return Center.start(Center.configFor(List.of(Component.WATCHER)).overrides(shared).build(), List.of(Component.WATCHER));
    }

    @AfterAll
    static void stop() {
        if (watcher != null) {
            watcher.close();
        }
        if (secondWatcher != null) {
            secondWatcher.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyRealtimeTaskIsLoggedWithWhoAskedAndEachFilterFindsIt() throws Exception {
        long before = System.currentTimeMillis();
        String ok = api.rt(FIRST, "echoapp", "ok", "{\"n\":1}", 10).resultText("id");
        String failed = api.rt(SECOND, "echoapp", "no", "{\"n\":2}", 10).resultText("id");
        JsonNode okLog = taskWhen(ok, log -> log.path("state").asText().equals("succeeded")
                && phasesOf(log).containsAll(List.of("accepted", "stored")));
        assertEquals("rt", okLog.get("type").asText());
        assertEquals(FIRST, okLog.get("agent_ip").asText());
        assertEquals("echoapp", okLog.get("instruct").asText());
        assertEquals("ok", okLog.get("func").asText());
        assertEquals(cluster.authId(), okLog.get("auth_id").asText());
        assertEquals(1, okLog.get("result_flag").asInt());
        assertEquals(1, okLog.get("worker_flag").asInt());
        assertEquals("{\"n\":1}", okLog.get("worker_message").asText());
        JsonNode failedLog = taskWhen(failed, log -> log.path("state").asText().equals("failed")
                && phasesOf(log).containsAll(List.of("accepted", "stored")));
        assertEquals(0, failedLog.get("result_flag").asInt());

        // each filter, alone and together, finds what it should and nothing else
        assertListed(Map.of("agent_ip", FIRST, "instruct", "echoapp"), ok, failed);
        assertListed(Map.of("agent_ip", SECOND, "instruct", "echoapp"), failed, ok);
        assertListed(Map.of("instruct", "echoapp", "func", "ok"), ok, failed);
        assertListed(Map.of("instruct", "echoapp", "result_flag", "0"), failed, ok);
        assertListed(Map.of("instruct", "echoapp", "result_flag", "1"), ok, failed);
        assertListed(Map.of("instruct", "echoapp", "by_auth_id", cluster.authId(),
                "createtime_begin", String.valueOf(before)), ok, null);
        assertListed(Map.of("instruct", "echoapp", "by_auth_id", cluster.authId(),
                "createtime_begin", String.valueOf(before)), failed, null);
        assertTrue(list("rt", Map.of("instruct", "echoapp", "by_auth_id", "nobody")).path("rt_exec_logs").isEmpty());
        List<String> earlier = idsOf(list("rt", Map.of("instruct", "echoapp", "createtime_end", String.valueOf(before - 1)))
                .get("rt_exec_logs"));
        assertFalse(earlier.contains(ok) || earlier.contains(failed), earlier::toString);

        // paging and sort: one per page, newest first by default
        JsonNode first = list("rt", Map.of("instruct", "echoapp", "createtime_begin", String.valueOf(before), "count", "1"));
        assertEquals(2, first.get("total_number").asInt());
        assertEquals(2, first.get("all_page").asInt());
        assertEquals(failed, first.get("rt_exec_logs").get(0).get("log_id").asText());
        JsonNode oldest = list("rt", Map.of("instruct", "echoapp", "createtime_begin", String.valueOf(before),
                "count", "1", "createtime_sort", "asc"));
        assertEquals(ok, oldest.get("rt_exec_logs").get(0).get("log_id").asText());
        JsonNode second = list("rt", Map.of("instruct", "echoapp", "createtime_begin", String.valueOf(before),
                "count", "1", "page", "2"));
        assertEquals(ok, second.get("rt_exec_logs").get(0).get("log_id").asText());

        // bad filters are [403.17], an unknown task [404.2]; nothing else changes
        assertEquals(ErrorCode.PARAM_LOGS, api.call("/api/v2/logs/rt", Map.of("result_flag", "3")).errorCode());
        assertEquals(ErrorCode.PARAM_LOGS, api.call("/api/v2/logs/rt", Map.of("createtime_begin", "yesterday")).errorCode());
        assertEquals(ErrorCode.PARAM_LOGS, api.call("/api/v2/logs/rt", Map.of("count", "0")).errorCode());
        assertEquals(ErrorCode.PARAM_TASK_ID, api.call("/api/v2/logs/task", Map.of("task_id", "nothex")).errorCode());
        assertEquals(ErrorCode.TASK_LOG_NOT_FOUND, api.call("/api/v2/logs/task", Map.of("task_id", TaskIds.next())).errorCode());
    }

    @Test
    void aTasksTimelineShowsWhereTheTimeWentInOrder() throws Exception {
        String id = api.rt(FIRST, "echoapp", "ok", "{}", 10).resultText("id");
        // two Watchers: a task's events may land in two batches, written one after the other
        JsonNode log = taskWhen(id, l -> phasesOf(l).size() == 7);
        List<String> phases = new ArrayList<>();
        long last = 0;
        for (JsonNode step : log.get("timeline")) {
            phases.add(step.get("phase").asText());
            if (!step.get("phase").asText().startsWith("agent_")) {
                // the center's clock: each phase at or after the one before (the agent's clock may differ)
                assertTrue(step.get("at").asLong() >= last, log::toString);
                last = step.get("at").asLong();
            }
        }
        assertEquals(List.of("accepted", "authorised", "sent", "agent_started", "agent_finished", "finished", "stored"),
                phases, log::toString);
        List<String> states = new ArrayList<>();
        log.get("states").forEach(s -> states.add(s.get("state").asText()));
        assertEquals(List.of("accepted", "sent", "running", "succeeded"), states, log::toString);
        assertTrue(log.get("agent_sync_costtime").asLong() >= 0, log::toString);
    }

    @Test
    void queueTasksAndCenterAndAgentCronRunsHaveTheirOwnLogs() throws Exception {
        ApiResponse quick = api.call("/api/v2/queue/qksqueue", Map.of("ip", FIRST, "app", "echoapp", "func", "ok",
                "param", "{\"q\":1}"));
        String taskId = quick.resultText("task_id");
        JsonNode queued = taskWhen(taskId, l -> l.path("state").asText().equals("succeeded")
                && phasesOf(l).containsAll(List.of("accepted", "queued", "sent", "finished", "stored")));
        assertEquals("queue", queued.get("type").asText());
        assertEquals(quick.resultText("id"), queued.get("queue_id").asText());
        assertEquals(cluster.authId(), queued.get("auth_id").asText());
        assertTrue(phasesOf(queued).containsAll(List.of("accepted", "queued", "sent", "finished", "stored")), queued::toString);
        assertListed("queues", Map.of("agent_ip", FIRST, "instruct", "echoapp"), taskId, null);

        String centerCron = api.call("/api/v2/cron/add", Map.of("ip", FIRST, "app", "echoapp", "func", "ok",
                "rule", "* * * * * ?")).resultText("id");
        String agentCron = api.call("/api/v2/cron/add", Map.of("ip", SECOND, "app", "echoapp", "func", "ok",
                "rule", "* * * * * ?", "side", "agent")).resultText("id");
        try {
            JsonNode centerRuns = listWhen("centercron", Map.of("instruct", "echoapp"),
                    runs -> runs.size() >= 2 && runs.get(0).path("cron_id").asText().equals(centerCron));
            assertEquals(cluster.authId(), centerRuns.get(0).get("auth_id").asText());
            assertEquals(FIRST, centerRuns.get(0).get("agent_ip").asText());
            JsonNode agentRuns = listWhen("selfcron", Map.of("instruct", "echoapp"),
                    runs -> runs.size() >= 2 && runs.get(0).path("cron_id").asText().equals(agentCron));
            assertEquals(SECOND, agentRuns.get(0).get("agent_ip").asText());
            assertEquals(1, agentRuns.get(0).get("result_flag").asInt());
        } finally {
            api.call("/api/v2/cron/delete", Map.of("cron_id", centerCron));
            api.call("/api/v2/cron/delete", Map.of("cron_id", agentCron));
        }
    }

    @Test
    void aKeySeesOnlyTheTasksOfTheAppsAndAgentsItIsGranted() throws Exception {
        ApiResponse made = api.call("/api/v2/admin/key/create", Map.of("name", "logs-team"));
        String teamId = made.resultText("auth_id");
        api.call("/api/v2/admin/key/grant", Map.of("key_id", teamId, "app", "echoapp", "agents", FIRST));
        Api team = Api.as(cluster, teamId, made.resultText("key"), Clock.systemUTC());
        long since = System.currentTimeMillis();
        String mine = api.rt(FIRST, "echoapp", "ok", "{}", 10).resultText("id");
        String notMine = api.rt(SECOND, "echoapp", "ok", "{}", 10).resultText("id");
        taskWhen(notMine, l -> l.has("stored_at"));
        taskWhen(mine, l -> l.has("stored_at"));

        // the OpenAPI learns of the key, then of its grant, within its poll period
        JsonNode seen = awaitOk(() -> team.call("/api/v2/logs/rt", Map.of("createtime_begin", String.valueOf(since))),
                r -> r.get("rt_exec_logs").size() > 0);
        assertEquals(List.of(mine), idsOf(seen.get("rt_exec_logs")), seen::toString);
        assertTrue(team.call("/api/v2/logs/task", Map.of("task_id", mine)).ok());
        assertEquals(ErrorCode.PERMISSION_DENIED, team.call("/api/v2/logs/task", Map.of("task_id", notMine)).errorCode());
        api.call("/api/v2/admin/key/revoke", Map.of("key_id", teamId));
    }

    @Test
    void aLongTasksOutputIsSeenWhileItRunsThenInItsRecord() throws Exception {
        String id = TaskIds.next();
        try (LiveOutput live = LiveOutput.open(cluster, id)) {
            // the stream is open before the task exists: it waits for it
            CompletableFuture<ApiResponse> call = CompletableFuture.supplyAsync(() -> api.call("/api/v2/rt/exec",
                    Map.of("ip", FIRST, "app", "chatty", "func", "talk", "timeout", "20", "task_id", id)));
            LiveOutput.Event first = live.next(Duration.ofSeconds(15));
            assertNotNull(first, "no output event while the task ran");
            assertEquals("output", first.name(), first::toString);
            assertTrue(first.data().contains("first line"), first::toString);
            assertFalse(call.isDone(), "the first line came only after the task ended");
            ApiResponse done = call.get(30, TimeUnit.SECONDS);
            assertTrue(done.ok(), done::toString);
            assertEquals(id, done.resultText("id"));
            List<LiveOutput.Event> rest = live.rest(Duration.ofSeconds(20));
            assertTrue(rest.stream().anyMatch(e -> e.name().equals("output") && e.data().contains("second line")
                    && e.data().contains("\"stream\":\"stderr\"")), rest::toString);
            assertTrue(rest.stream().anyMatch(e -> e.name().equals("end") && e.data().contains("\"result_flag\":1")), rest::toString);
        }
        // the last chunks follow the result: wait for them
        JsonNode output = taskWhen(id, l -> l.path("output").toString().contains("second line")).get("output");
        StringBuilder text = new StringBuilder();
        output.get("chunks").forEach(c -> text.append(c.get("data").asText()));
        assertTrue(text.toString().contains("first line") && text.toString().contains("second line"), output::toString);
        assertFalse(output.get("truncated").asBoolean());
        // the id was the client's: it cannot start a second task
        assertEquals(ErrorCode.PARAM_TASK_ID, api.call("/api/v2/rt/exec",
                Map.of("ip", FIRST, "app", "echoapp", "func", "ok", "task_id", id)).errorCode());
    }

    @Test
    void aFloodKeepsItsHeadAndTailWithTheMiddleCounted() throws Exception {
        String id = api.rt(SECOND, "flood", "go", null, 20).resultText("id");
        JsonNode output = taskWhen(id, l -> l.path("output").toString().contains("line 040")).get("output");
        StringBuilder text = new StringBuilder();
        output.get("chunks").forEach(c -> text.append(c.get("data").asText()));
        assertTrue(output.get("truncated").asBoolean(), output::toString);
        assertTrue(output.get("dropped_bytes").asLong() > 0, output::toString);
        assertTrue(text.toString().startsWith("line 001"), text::toString);
        assertTrue(text.toString().contains("line 040"), text::toString);
        assertFalse(text.toString().contains("line 020"), text::toString);
        assertTrue(text.length() <= 2 * (KEEP_BYTES + 16 * 1024), "kept " + text.length());
    }

    @Test
    void underLoadAndAcrossWatcherRestartsEveryMessageIsRecordedOnce() throws Exception {
        String func = "load" + TaskIds.next().substring(0, 6).toLowerCase();
        int callers = 6;
        int perCaller = 30;
        AtomicInteger succeeded = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            running.add(pool.submit(() -> {
                for (int i = 0; i < perCaller; i++) {
                    if (api.rt(MACHINES.get(i % 2), "echoapp", func, "{}", 10).ok()) {
                        succeeded.incrementAndGet();
                    }
                }
            }));
        }
        // while the tasks flow one Watcher goes, then the other (none records for a while), and both come back
        Thread.sleep(1500);
        watcher.close();
        Thread.sleep(1000);
        secondWatcher.close();
        Thread.sleep(2000);
        watcher = startWatcher();
        secondWatcher = startWatcher();
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int sent = callers * perCaller;
        assertEquals(sent, succeeded.get() + 0, "every call answered (flag false is still an answer)");

        JsonNode all = listWhen("rt", Map.of("instruct", "echoapp", "func", func, "count", "500"),
                logs -> logs.size() == sent && allStored(logs));
        assertEquals(sent, all.size());
        var messages = mongo.getDatabase(cluster.config().require("elves.mongo.database")).getCollection("watch_messages");
        long calls = messages.countDocuments(Filters.and(Filters.eq("kind", "call"), Filters.eq("func", "syncJob"),
                Filters.eq("body.func", func)));
        assertEquals(sent, calls, "each call to the Scheduler recorded once");
        long replies = messages.countDocuments(Filters.and(Filters.eq("kind", "reply"), Filters.eq("func", "syncJob"),
                Filters.in("task_id", idsOf(all))));
        assertEquals(sent, replies, "each reply recorded once");
    }

    // ---- helpers: the API as an operator's program uses it ----

    private static boolean allStored(JsonNode logs) {
        for (JsonNode l : logs) {
            if (l.path("result_flag").asInt() == 2) {
                return false;
            }
        }
        return true;
    }

    private static List<String> idsOf(JsonNode logs) {
        List<String> ids = new ArrayList<>();
        logs.forEach(l -> ids.add(l.get("log_id").asText()));
        return ids;
    }

    private static List<String> phasesOf(JsonNode log) {
        List<String> phases = new ArrayList<>();
        log.get("timeline").forEach(s -> phases.add(s.get("phase").asText()));
        return phases;
    }

    /** The task's whole record once {@code done} holds; {@code stored_at} is set when the stored phase is there. */
    private static JsonNode taskWhen(String id, java.util.function.Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            ApiResponse r = api.call("/api/v2/logs/task", Map.of("task_id", id));
            if (r.ok()) {
                last = r.result();
                if (phasesOf(last).contains("stored")) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) last).put("stored_at", true);
                }
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("task " + id + " not as awaited: " + last);
    }

    private static JsonNode list(String kind, Map<String, String> filters) {
        ApiResponse r = api.call("/api/v2/logs/" + kind, filters);
        assertTrue(r.ok(), r::toString);
        return r.result();
    }

    private static JsonNode listWhen(String kind, Map<String, String> filters, java.util.function.Predicate<JsonNode> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode logs = null;
        while (System.nanoTime() < deadline) {
            logs = list(kind, filters).get(kind + "_exec_logs");
            if (done.test(logs)) {
                return logs;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(kind + " logs not as awaited: " + logs);
    }

    /** Lists with these filters: {@code present} is there, {@code absent} is not. */
    private static void assertListed(Map<String, String> filters, String present, String absent) {
        assertListed("rt", filters, present, absent);
    }

    private static void assertListed(String kind, Map<String, String> filters, String present, String absent) {
        List<String> ids = idsOf(list(kind, new LinkedHashMap<>(filters)).get(kind + "_exec_logs"));
        assertTrue(ids.contains(present), filters + " should list " + present + ": " + ids);
        if (absent != null) {
            assertFalse(ids.contains(absent), filters + " should not list " + absent + ": " + ids);
        }
    }

    private static JsonNode awaitOk(java.util.function.Supplier<ApiResponse> call,
                                    java.util.function.Predicate<JsonNode> done) throws InterruptedException {
        ApiResponse r = null;
        for (int i = 0; i < 50; i++) {
            r = call.get();
            if (r.ok() && done.test(r.result())) {
                return r.result();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never ok: " + r);
    }
}

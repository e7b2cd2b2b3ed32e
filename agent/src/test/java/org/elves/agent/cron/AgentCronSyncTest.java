package org.elves.agent.cron;

import org.apache.thrift.TApplicationException;
import org.elves.agent.AgentClient;
import org.elves.agent.AgentFleet;
import org.elves.agent.ElvesAgent;
import org.elves.agent.OpenResources;
import org.elves.agent.RecordingScheduler;
import org.elves.agent.TestApps;
import org.elves.agent.ThriftTestServer;
import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.Endpoint;
import org.elves.protocol.CronRunId;
import org.elves.protocol.thrift.HeartbeatService;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.elves.agent.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agent-side crons end to end: a real agent, cronSync over Thrift, a real SchedulerService
 * receiving the results (and a real HeartbeatService for the heartbeat path).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AgentCronSyncTest {
    private static final String HOST = "127.0.0.21";
    private static final String CRON = "2AD6AF3B2E5D4C2E";
    private static final String EVERY_SECOND = "* * * * * ?";

    @TempDir
    Path apps;
    @TempDir
    Path state;

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final OpenResources open = new OpenResources();

    @AfterEach
    void stop() throws Exception {
        open.close();
    }

    static String entry(String id, String rule) {
        return "{\"id\":\"" + id + "\",\"app\":\"tick\",\"func\":\"helloword\",\"param\":\"{\\\"k\\\":\\\"v\\\"}\","
                + "\"timeout\":90,\"proxy\":\"\",\"mode\":\"NP\",\"rule\":\"" + rule + "\",\"timezone\":\"UTC\"}";
    }

    static String list(String version, String... entries) {
        return "{\"version\":\"" + version + "\",\"crons\":[" + String.join(",", entries) + "]}";
    }

    private AgentSettings.Builder settings(Endpoint schedulerAt) throws Exception {
        TestApps.shell(apps, "tick", TestApps.tags("true", "tick"));
        return RecordingScheduler.agentSettings(apps, state, HOST, schedulerAt).schedulerTimeoutSeconds(2);
    }

    private ElvesAgent start(AgentSettings.Builder b) throws Exception {
        return open.add(ElvesAgent.start(b.build()));
    }

    private ThriftTestServer schedulerServer(int port) throws Exception {
        return open.add(scheduler.serve(port));
    }

    private static String cronSync(ElvesAgent agent, String json) throws Exception {
        try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
            return c.api.cronSync(json);
        }
    }

    private List<Reinstruct> take(int n) throws InterruptedException {
        return scheduler.awaitResults(n, 10);
    }

    private static long second(Reinstruct r) {
        CronRunId run = CronRunId.parse(r.getIns().getId());
        assertNotNull(run, "not a run id: " + r.getIns().getId());
        assertEquals(CRON, run.cronId());
        return run.fireTime().getEpochSecond();
    }

    private void assertNoDuplicates() {
        scheduler.deliveriesById()
                .forEach((id, n) -> assertEquals(1, n.get(), "run " + id + " delivered " + n.get() + " times"));
    }

    private int outboxFiles() {
        try (Stream<Path> files = Files.list(state.resolve("outbox"))) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void cronSyncRunsACronEverySecondAndEachRunReachesTheScheduler() throws Exception {
        ThriftTestServer server = schedulerServer(0);
        ElvesAgent agent = start(settings(server.endpoint()));
        assertEquals("", agent.cronVersion(), "no list held before the first sync");
        assertEquals("v1", cronSync(agent, list("v1", entry(CRON, EVERY_SECOND))));
        assertEquals(List.of(CRON), agent.cronIds());
        assertTrue(Files.isRegularFile(state.resolve("crons.json")));

        List<Reinstruct> runs = take(3);
        runs.sort((a, b) -> Long.compare(second(a), second(b)));
        for (int i = 1; i < runs.size(); i++) {
            assertEquals(second(runs.get(i - 1)) + 1, second(runs.get(i)), "consecutive seconds: " + runs);
        }
        Reinstruct r = runs.get(0);
        assertEquals(CRON + "@" + second(r), r.getIns().getId());
        assertEquals("cron", r.getIns().getType());
        assertEquals(HOST, r.getIns().getIp());
        assertEquals("NP", r.getIns().getMode());
        assertEquals("tick", r.getIns().getApp());
        assertEquals("helloword", r.getIns().getFunc());
        assertEquals("{\"k\":\"v\"}", r.getIns().getParam());
        assertEquals(90, r.getIns().getTimeout());
        assertEquals(1, r.getFlag());
        assertEquals("tick", r.getResult());

        // the same list again changes nothing; an empty list removes every cron
        assertEquals("v1", cronSync(agent, list("v1", entry(CRON, EVERY_SECOND))));
        assertEquals("v2", cronSync(agent, list("v2")));
        assertEquals(List.of(), agent.cronIds());
        await("runs in flight delivered", () -> agent.pendingCronResults() == 0);
        Thread.sleep(1500);
        scheduler.delivered.clear();
        assertEquals(null, scheduler.delivered.poll(1500, TimeUnit.MILLISECONDS), "a removed cron does not fire");
        assertNoDuplicates();
        assertEquals(0, outboxFiles(), "delivered results are deleted");
    }

    @Test
    void resultsWaitInTheOutboxWhileTheSchedulerIsDownAndAllArriveOnceWhenItIsBack() throws Exception {
        int port = ThriftTestServer.freePort();
        ElvesAgent agent = start(settings(new Endpoint("127.0.0.1", port)));
        cronSync(agent, list("v1", entry(CRON, EVERY_SECOND)));
        await("three results kept in the outbox", () -> outboxFiles() >= 3);
        cronSync(agent, list("v2"));
        Thread.sleep(500); // a run that was starting finishes (the app takes a few ms)
        int kept = outboxFiles();
        assertEquals(kept, agent.pendingCronResults());
        assertTrue(scheduler.delivered.isEmpty());

        schedulerServer(port);
        await("outbox emptied", () -> agent.pendingCronResults() == 0);
        List<Reinstruct> got = take(kept);
        assertEquals(kept, scheduler.deliveriesById().size(),
                "every kept result arrived: " + scheduler.deliveriesById().keySet());
        assertNoDuplicates();
        assertEquals(0, outboxFiles());
        // oldest first
        for (int i = 1; i < got.size(); i++) {
            assertTrue(second(got.get(i - 1)) < second(got.get(i)),
                    "delivered oldest first: " + scheduler.deliveriesById().keySet());
        }
    }

    @Test
    void aRestartedAgentKeepsFiringItsCronsWithoutANewSyncAndDeliversWhatWasLeft() throws Exception {
        int port = ThriftTestServer.freePort();
        AgentSettings.Builder b = settings(new Endpoint("127.0.0.1", port));
        ElvesAgent first = start(b);
        cronSync(first, list("v7", entry(CRON, EVERY_SECOND)));
        await("two results kept while the scheduler is down", () -> outboxFiles() >= 2);
        first.close();
        int left = outboxFiles();

        schedulerServer(port);
        ElvesAgent second = start(b);
        assertEquals("v7", second.cronVersion());
        assertEquals(List.of(CRON), second.cronIds());
        List<Reinstruct> got = take(left + 3);
        long newest = got.stream().mapToLong(AgentCronSyncTest::second).max().orElseThrow();
        assertTrue(newest * 1000 > second.startTime(), "the restarted agent fires on its own");
        assertNoDuplicates();
    }

    @Test
    void anEntryWithABadRuleIsSkippedAndTheOthersApply() throws Exception {
        ThriftTestServer server = schedulerServer(0);
        ElvesAgent agent = start(settings(server.endpoint()));
        String badRule = entry("BAD0000000000001", "every minute please");
        String badZone = entry("BAD0000000000002", EVERY_SECOND).replace("\"UTC\"", "\"Mars/Olympus\"");
        String noApp = entry("BAD0000000000003", EVERY_SECOND).replace("\"app\":\"tick\",", "");
        assertEquals("v3", cronSync(agent, list("v3", badRule, entry(CRON, EVERY_SECOND), badZone, noApp)));
        assertEquals(List.of(CRON), agent.cronIds());
        second(take(1).get(0));

        TApplicationException notAList = assertThrows(TApplicationException.class, () -> cronSync(agent, "[1,2"));
        assertEquals(TApplicationException.INTERNAL_ERROR, notAList.getType());
        assertEquals("v3", agent.cronVersion(), "a document that is not a list changes nothing");
    }

    @Test
    void withAgentCronOffCronSyncIsAnUnknownMethod() throws Exception {
        ThriftTestServer server = schedulerServer(0);
        ElvesAgent agent = start(settings(server.endpoint()).agentCronEnabled(false));
        TApplicationException e = assertThrows(TApplicationException.class,
                () -> cronSync(agent, list("v1", entry(CRON, EVERY_SECOND))));
        assertEquals(TApplicationException.UNKNOWN_METHOD, e.getType());
        assertEquals(null, agent.cronVersion());
        assertTrue(Files.notExists(state.resolve("crons.json")));
    }

    @Test
    void aHeartbeatAnswerWithCronsAppliesTheListAndOneWithoutChangesNothing() throws Exception {
        ThriftTestServer scheduler = schedulerServer(0);
        AtomicReference<String> answer = new AtomicReference<>("{\"data\":{\"tick\":\"1.0\"}}");
        AtomicInteger beats = new AtomicInteger();
        HeartbeatService.Iface center = info -> {
            beats.incrementAndGet();
            return answer.get();
        };
        ThriftTestServer hb = ThriftTestServer.start(new HeartbeatService.Processor<>(center));
        open.add(hb);
        ElvesAgent agent = start(settings(scheduler.endpoint()).heartbeatEnabled(true).heartbeat(hb.endpoint())
                .heartbeatIntervalSeconds(1));
        await("two beats", () -> beats.get() >= 2);
        assertEquals("", agent.cronVersion(), "an answer without \"crons\" changes nothing");

        answer.set("{\"data\":{},\"crons\":" + list("hb1", entry(CRON, EVERY_SECOND)) + "}");
        await("the list of the answer applied", () -> "hb1".equals(agent.cronVersion()));
        assertEquals(List.of(CRON), agent.cronIds());
        second(take(1).get(0));

        // cronSync replaced it; a later beat without "crons" keeps the synced list
        assertEquals("s2", cronSync(agent, list("s2")));
        answer.set("{\"data\":{}}");
        int seen = beats.get();
        await("another beat", () -> beats.get() >= seen + 2);
        assertEquals("s2", agent.cronVersion());
        assertEquals(List.of(), agent.cronIds());
    }

    @Test
    void eachAgentOfAFleetKeepsItsCronsInItsOwnStateDir() throws Exception {
        ThriftTestServer server = schedulerServer(0);
        AgentSettings template = settings(server.endpoint()).port(0).build();
        AgentFleet fleet = AgentFleet.start(template, List.of("127.0.0.22", "127.0.0.23"));
        open.add(fleet);
        ElvesAgent a = fleet.agent("127.0.0.22");
        try (AgentClient c = AgentClient.connect("127.0.0.22", a.port())) {
            assertEquals("f1", c.api.cronSync(list("f1", entry(CRON, EVERY_SECOND))));
        }
        assertTrue(Files.isRegularFile(state.resolve("127.0.0.22").resolve("crons.json")));
        assertTrue(Files.notExists(state.resolve("127.0.0.23").resolve("crons.json")));
        Reinstruct r = take(1).get(0);
        assertEquals("127.0.0.22", r.getIns().getIp());
        assertEquals("", fleet.agent("127.0.0.23").cronVersion());
    }
}

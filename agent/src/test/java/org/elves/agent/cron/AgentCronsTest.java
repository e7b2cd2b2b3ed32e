package org.elves.agent.cron;

import org.elves.agent.LightJson;
import org.elves.protocol.thrift.Instruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduling class alone, on a clock the test sets: misfire policy, first fire, replacement. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentCronsTest {
    private static final String IP = "10.0.0.5";
    private static final String HOURLY = "0 0 * * * ?";
    /** 2024-05-01 10:10:00 UTC: ten minutes after an hourly time, fifty before the next. */
    private static final Instant TEN_PAST = Instant.parse("2024-05-01T10:10:00Z");

    @TempDir
    Path dir;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<Instruct> runs = new LinkedBlockingQueue<>();
    private final List<AgentCrons> started = new ArrayList<>();

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @AfterEach
    void stop() {
        started.forEach(AgentCrons::close);
        timer.shutdownNow();
    }

    private Path stateFile() {
        return dir.resolve("crons.json");
    }

    private AgentCrons crons(MisfirePolicy policy, Clock clock) {
        AgentCrons c = new AgentCrons(IP, stateFile(), policy, clock, timer, runs::add);
        started.add(c);
        return c;
    }

    private static CronList list(String version, String... idAndRule) {
        List<CronEntry> entries = new ArrayList<>();
        for (int i = 0; i < idAndRule.length; i += 2) {
            entries.add(new CronEntry(idAndRule[i], "apptest", "helloword", "{\"secret\":\"s\"}", 90, "", "P",
                    idAndRule[i + 1], "UTC"));
        }
        return new CronList(version, entries);
    }

    /** A state file as an agent that went down at {@code lastFired} would have left it. */
    private void keptState(String id, String rule, Instant since, Instant lastFired) throws Exception {
        Map<String, Object> e = list("v1", id, rule).crons().get(0).toJson();
        e.put("since", since.toEpochMilli());
        e.put("lastFired", lastFired == null ? null : lastFired.toEpochMilli());
        Files.writeString(stateFile(), LightJson.writeValue(Map.of("version", "v1", "crons", List.of(e))));
    }

    @Test
    void fireOnceRunsOneRunForTheLatestTimeMissedWhileDown() throws Exception {
        Instant down = TEN_PAST.minusSeconds(3 * 3600); // 07:10, so 08:00, 09:00 and 10:00 were missed
        keptState("C1", HOURLY, down.minusSeconds(86400), down.minusSeconds(600));
        AgentCrons c = crons(MisfirePolicy.FIRE_ONCE, new TestClock(TEN_PAST));
        c.start();
        Instruct run = runs.poll(5, TimeUnit.SECONDS);
        assertNotNull(run, "one run for the missed times");
        Instant tenOClock = Instant.parse("2024-05-01T10:00:00Z");
        assertEquals("C1@" + tenOClock.getEpochSecond(), run.getId());
        assertEquals(IP, run.getIp());
        assertEquals("cron", run.getType());
        assertEquals("P", run.getMode());
        assertEquals("{\"secret\":\"s\"}", run.getParam());
        assertEquals(90, run.getTimeout());
        assertNull(runs.poll(300, TimeUnit.MILLISECONDS), "only one");
        assertEquals(tenOClock, c.lastFired("C1"));
        assertEquals("v1", c.version());
        c.close();

        // restarted again before 11:00: 10:00 is not run a second time
        AgentCrons again = crons(MisfirePolicy.FIRE_ONCE, new TestClock(TEN_PAST.plusSeconds(600)));
        again.start();
        assertEquals(tenOClock, again.lastFired("C1"), "the last fired time was kept");
        assertNull(runs.poll(300, TimeUnit.MILLISECONDS), "a time already fired never fires again");
    }

    @Test
    void skipRunsNothingForTimesMissedWhileDown() throws Exception {
        keptState("C1", HOURLY, TEN_PAST.minusSeconds(86400), TEN_PAST.minusSeconds(3 * 3600));
        AgentCrons c = crons(MisfirePolicy.SKIP, new TestClock(TEN_PAST));
        c.start();
        assertNull(runs.poll(500, TimeUnit.MILLISECONDS));
        assertEquals(List.of("C1"), c.ids(), "the cron itself is kept and runs at its next time");
    }

    @Test
    void aCronNewToTheAgentNeverFiresForTimesBeforeItArrived() throws Exception {
        TestClock clock = new TestClock(TEN_PAST);
        AgentCrons c = crons(MisfirePolicy.FIRE_ONCE, clock);
        c.start();
        assertEquals("v1", c.sync(list("v1", "NEW", HOURLY)));
        assertNull(runs.poll(300, TimeUnit.MILLISECONDS), "10:00 was before it arrived");
        c.close();

        // the agent restarts at 10:40: still nothing missed since it arrived
        crons(MisfirePolicy.FIRE_ONCE, new TestClock(TEN_PAST.plusSeconds(1800))).start();
        assertNull(runs.poll(300, TimeUnit.MILLISECONDS), "10:00 was before it arrived, also after a restart");

        // the agent was down over 11:00: fire-once runs it
        AgentCrons later = crons(MisfirePolicy.FIRE_ONCE, new TestClock(TEN_PAST.plusSeconds(3600)));
        later.start();
        Instruct run = runs.poll(5, TimeUnit.SECONDS);
        assertNotNull(run);
        assertEquals("NEW@" + Instant.parse("2024-05-01T11:00:00Z").getEpochSecond(), run.getId());
    }

    @Test
    void aListReplacesTheWholeSetKeepsUnchangedCronsAndIsKept() throws Exception {
        TestClock clock = new TestClock(TEN_PAST);
        AgentCrons c = crons(MisfirePolicy.FIRE_ONCE, clock);
        c.start();
        c.sync(list("v1", "A", HOURLY, "B", HOURLY));
        assertEquals(List.of("A", "B"), c.ids());
        assertEquals("v2", c.sync(list("v2", "B", HOURLY, "C", "0 30 * * * ?")));
        assertEquals(List.of("B", "C"), c.ids());
        c.close();

        AgentCrons restarted = crons(MisfirePolicy.FIRE_ONCE, clock);
        restarted.start();
        assertEquals("v2", restarted.version());
        assertEquals(List.of("B", "C"), restarted.ids());
        assertEquals("v3", restarted.sync(list("v3")));
        assertEquals(List.of(), restarted.ids());
        Object kept = LightJson.parse(Files.readAllBytes(stateFile()));
        assertEquals(Map.of("version", "v3", "crons", List.of()), kept);
        assertTrue(Files.list(dir).allMatch(f -> f.getFileName().toString().equals("crons.json")), "no temp files left");
    }

    @Test
    void aHeartbeatListWithTheHeldVersionChangesNothing() throws Exception {
        AgentCrons c = crons(MisfirePolicy.FIRE_ONCE, new TestClock(TEN_PAST));
        c.start();
        c.sync(list("v1", "A", HOURLY));
        // the same version with other content: not applied (the center says nothing changed)
        assertEquals(false, c.syncFromHeartbeat(LightJson.parse("{\"version\":\"v1\",\"crons\":[]}")));
        assertEquals(List.of("A"), c.ids());
        assertEquals(true, c.syncFromHeartbeat("{\"version\":\"v2\",\"crons\":[]}"));
        assertEquals(List.of(), c.ids());
        assertEquals(false, c.syncFromHeartbeat("not json"));
        assertEquals("v2", c.version());
    }

    @Test
    void onTheRealClockEachSecondFiresOnceAtOrAfterItsTime() throws Exception {
        List<Long> firedAt = new ArrayList<>();
        AgentCrons timed = new AgentCrons(IP, dir.resolve("timed.json"), MisfirePolicy.FIRE_ONCE, Clock.systemUTC(), timer,
                ins -> {
                    firedAt.add(System.currentTimeMillis());
                    runs.add(ins);
                });
        started.add(timed);
        timed.start();
        timed.sync(list("s1", "SEC", "* * * * * ?"));
        List<Instruct> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Instruct run = runs.poll(5, TimeUnit.SECONDS);
            assertNotNull(run);
            got.add(run);
        }
        for (int i = 0; i < got.size(); i++) {
            long t = Long.parseLong(got.get(i).getId().substring("SEC@".length()));
            if (i > 0) {
                assertEquals(Long.parseLong(got.get(i - 1).getId().substring("SEC@".length())) + 1, t);
            }
            assertTrue(firedAt.get(i) >= t * 1000, "never before its time");
        }
    }
}

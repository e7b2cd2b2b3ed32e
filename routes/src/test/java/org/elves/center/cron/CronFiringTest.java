package org.elves.center.cron;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronFiringTest {
    private CronTestStore t;

    @AfterEach
    void close() {
        t.close();
    }

    private String add(String rule) {
        Map<String, Object> body = new HashMap<>(Map.of("ip", "127.0.0.2", "app", "apptest", "func", "helloword", "rule", rule));
        return (String) t.management().createCron(body, null).get("id");
    }

    private List<String> tickAt(CronFiring firing, String isoTime) {
        t.now.set(Instant.parse(isoTime).toEpochMilli());
        List<String> ids = new ArrayList<>();
        firing.due().forEach(job -> ids.add(job.id()));
        return ids;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunWhoseCastFailedIsRecordedAsFailed5032InItsCronsHistory() {
        t = new CronTestStore(Map.of());
        String id = add("0/5 * * * * ?");
        CronFiring firing = t.firing();
        tickAt(firing, "2026-01-01T00:00:01.010Z");
        t.now.set(Instant.parse("2026-01-01T00:00:05.004Z").toEpochMilli());
        List<Map<String, Object>> batches = firing.tick();
        assertEquals(1, batches.size());
        // route cron-tick: the asyncJobs cast of this batch failed (the broker is down)
        t.runs().notCast(batches.get(0), "AmqpConnectException: Connection refused");
        Map<String, Object> detail = (Map<String, Object>) t.management().cronDetail(Map.of("id", id)).get("result");
        List<Map<String, Object>> history = (List<Map<String, Object>>) detail.get("history");
        assertEquals(1, history.size());
        Map<String, Object> run = history.get(0);
        assertEquals(id + "@" + Instant.parse("2026-01-01T00:00:05Z").getEpochSecond(), run.get("run_id"));
        assertEquals("false", run.get("flag"));
        assertEquals("[503.2]Message Broker Unavailable: run not cast to the scheduler for 127.0.0.2: "
                + "AmqpConnectException: Connection refused", run.get("error"));
        Map<String, Object> last = (Map<String, Object>) detail.get("last_exec_result");
        assertEquals("false", last.get("flag"));
    }

    @Test
    void firesEachScheduledSecondOnceWithItsKey() {
        t = new CronTestStore(Map.of());
        String id = add("0/5 * * * * ?");
        CronFiring firing = t.firing();
        assertEquals(List.of(), tickAt(firing, "2026-01-01T00:00:01.010Z"));
        assertEquals(List.of(id + "@" + Instant.parse("2026-01-01T00:00:05Z").getEpochSecond()), tickAt(firing, "2026-01-01T00:00:05.004Z"));
        assertEquals(List.of(), tickAt(firing, "2026-01-01T00:00:06.004Z"));
        assertEquals(List.of(id + "@" + Instant.parse("2026-01-01T00:00:10Z").getEpochSecond()), tickAt(firing, "2026-01-01T00:00:10.002Z"));
    }

    @Test
    void twoLeadersAtOnceFireAKeyOnlyOnce() {
        t = new CronTestStore(Map.of());
        add("* * * * * ?");
        CronFiring first = t.firing();
        CronFiring second = t.firing();
        int fired = 0;
        for (int s = 1; s <= 5; s++) {
            String time = "2026-01-01T00:00:0" + s + ".005Z";
            List<String> a = tickAt(first, time);
            List<String> b = tickAt(second, time);
            assertEquals(1, a.size() + b.size(), "exactly one instance fires second " + s);
            fired += a.size() + b.size();
        }
        assertEquals(5, fired);
    }

    @Test
    void takeOverAfterAGapFiresOnceForTheLatestMissedTime() {
        t = new CronTestStore(Map.of());
        String id = add("0/5 * * * * ?");
        CronFiring old = t.firing();
        assertEquals(1, tickAt(old, "2026-01-01T00:00:05.001Z").size());
        // the leader dies; a new one ticks 20 s later: 10, 15, 20 were missed, 25 is due now
        CronFiring next = t.firing();
        assertEquals(List.of(id + "@" + Instant.parse("2026-01-01T00:00:20Z").getEpochSecond()),
                tickAt(next, "2026-01-01T00:00:24.500Z"));
        assertEquals(List.of(id + "@" + Instant.parse("2026-01-01T00:00:25Z").getEpochSecond()),
                tickAt(next, "2026-01-01T00:00:25.001Z"));
    }

    @Test
    void skipPolicyGivesMissedRunsUp() {
        t = new CronTestStore(Map.of("elves.cron.misfire", "skip"));
        String id = add("0/5 * * * * ?");
        assertEquals(1, tickAt(t.firing(), "2026-01-01T00:00:05.001Z").size());
        CronFiring next = t.firing();
        assertEquals(List.of(), tickAt(next, "2026-01-01T00:00:24.500Z"));
        assertEquals(List.of(id + "@" + Instant.parse("2026-01-01T00:00:25Z").getEpochSecond()),
                tickAt(next, "2026-01-01T00:00:25.001Z"));
    }

    @Test
    void pausedCronsDoNotFireAndRestartWithoutCatchingUp() {
        t = new CronTestStore(Map.of());
        String id = add("* * * * * ?");
        CronFiring firing = t.firing();
        assertEquals(1, tickAt(firing, "2026-01-01T00:00:01.001Z").size());
        t.management().stopCron(Map.of("id", id), null);
        assertEquals(List.of(), tickAt(firing, "2026-01-01T00:00:02.001Z"));
        assertEquals(List.of(), tickAt(firing, "2026-01-01T00:00:03.001Z"));
        t.now.set(Instant.parse("2026-01-01T00:00:30.500Z").toEpochMilli());
        t.management().startCron(Map.of("id", id), null);
        // started at 30.5: the paused half minute is not made up for; 31 fires
        assertEquals(List.of(), tickAt(firing, "2026-01-01T00:00:30.900Z"));
        assertEquals(List.of(id + "@" + Instant.parse("2026-01-01T00:00:31Z").getEpochSecond()),
                tickAt(firing, "2026-01-01T00:00:31.002Z"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTickGroupsItsRunsByAgent() {
        t = new CronTestStore(Map.of());
        for (String ip : List.of("127.0.0.2", "127.0.0.3", "127.0.0.2")) {
            t.management().createCron(new HashMap<>(Map.of("ip", ip, "app", "apptest", "func", "f", "rule", "* * * * * ?")), null);
        }
        t.now.set(Instant.parse("2026-01-01T00:00:01.003Z").toEpochMilli());
        List<Map<String, Object>> batches = t.firing().tick();
        assertEquals(2, batches.size());
        Map<String, Integer> sizes = new HashMap<>();
        batches.forEach(b -> sizes.put((String) b.get("ip"), ((List<Object>) b.get("jobs")).size()));
        assertEquals(Map.of("127.0.0.2", 2, "127.0.0.3", 1), sizes);
    }

    @Test
    void agentSideCronsAreNotFiredByTheCenter() {
        t = new CronTestStore(Map.of());
        Map<String, Object> body = new HashMap<>(Map.of("ip", "127.0.0.2", "app", "apptest", "func", "helloword",
                "rule", "* * * * * ?", "side", "agent"));
        t.management().createCron(body, null);
        CronFiring firing = t.firing();
        assertTrue(tickAt(firing, "2026-01-01T00:00:01.001Z").isEmpty());
        assertTrue(tickAt(firing, "2026-01-01T00:00:02.001Z").isEmpty());
        assertEquals(0, firing.scheduled());
    }
}

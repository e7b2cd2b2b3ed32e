package org.elves.center.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static org.elves.center.queue.QueueFixture.IP;
import static org.elves.center.queue.QueueFixture.IP2;
import static org.elves.center.queue.QueueFixture.RESEND_MS;
import static org.elves.center.queue.QueueFixture.firstSends;
import static org.elves.center.queue.QueueFixture.ids;
import static org.elves.center.queue.QueueFixture.ok;
import static org.elves.center.queue.QueueFixture.resent;
import static org.elves.center.queue.QueueFixture.workerFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** elves.queue.agent-concurrency 2: at most two tasks of one agent out at once, sweeps included. */
class QueueAgentConcurrencyTest {
    private QueueFixture q;

    @BeforeEach
    void start() {
        q = new QueueFixture().started();
    }

    @AfterEach
    void stop() {
        q.close();
    }

    @Test
    void fiveTasksOnOneAgentGoOutTwoAtATimeAsResultsFreeTheSlots() {
        String queue = q.create();
        List<String> t = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            t.add(q.add(queue, IP, ""));
        }
        List<String> sent = new ArrayList<>(q.commit(queue));
        assertEquals(t.subList(0, 2), sent);
        assertBound();
        assertEquals(t.subList(2, 5), q.ready(IP), "the rest wait in order");

        // sweeps send nothing new while both slots are held, however long the results take
        for (int i = 1; i <= 3; i++) {
            q.now.addAndGet(RESEND_MS);
            List<Map<String, Object>> jobs = q.sweep().jobs();
            assertEquals(List.of(), firstSends(jobs));
            assertEquals(t.subList(0, 2), resent(jobs), "re-sends take no slot");
            assertBound();
        }
        // a restarted Queue too
        q.restart();
        assertEquals(List.of(), firstSends(q.sweep().jobs()));
        assertBound();

        // each result frees one slot: exactly one more goes out, oldest first
        sent.addAll(ids(q.deliver(ok(t.get(1))).jobs()));
        assertEquals(t.subList(0, 3), sent);
        assertBound();
        assertEquals(List.of(), firstSends(q.sweep().jobs()));
        // a repeated result frees nothing more
        assertEquals(List.of(), q.deliver(ok(t.get(1))).jobs());
        assertBound();
        // a failed task frees its slot as well
        sent.addAll(ids(q.deliver(workerFailed(t.get(0), "no")).jobs()));
        assertEquals(t.subList(0, 4), sent);
        assertBound();
        sent.addAll(ids(q.deliver(ok(t.get(2))).jobs()));
        assertEquals(t, sent);
        assertBound();
        assertEquals(List.of(), q.ready(IP));
        assertEquals(List.of(), q.deliver(ok(t.get(3))).jobs());
        assertEquals(List.of(), firstSends(q.sweep().jobs()));
        assertEquals(List.of(), q.deliver(ok(t.get(4))).jobs());
        assertEquals("finished", q.queueStatus(queue));
        assertEquals(List.of(), q.running(IP));
    }

    @Test
    void theBoundIsPerAgentAcrossQueues() {
        String first = q.create();
        String second = q.create();
        List<String> a = List.of(q.add(first, IP, ""), q.add(first, IP, ""), q.add(first, IP2, ""));
        List<String> b = List.of(q.add(second, IP, ""), q.add(second, IP2, ""), q.add(second, IP2, ""));
        assertEquals(a, q.commit(first));
        assertEquals(List.of(b.get(1)), q.commit(second), "IP is full; one slot left on IP2");
        assertBound();
        assertEquals(List.of(b.get(0)), q.ready(IP));
        assertEquals(List.of(b.get(2)), q.ready(IP2));
        // a result of the first queue frees a slot for the second
        assertEquals(List.of(b.get(0)), ids(q.deliver(ok(a.get(0))).jobs()));
        assertEquals(List.of(b.get(2)), ids(q.deliver(ok(a.get(2))).jobs()));
        assertBound();
    }

    /** Neither the agent's slot list nor the tasks actually running on it exceed 2. */
    private void assertBound() {
        for (String ip : List.of(IP, IP2)) {
            assertTrue(q.running(ip).size() <= 2, ip + " slots " + q.running(ip));
            long running = q.tasksCollection.countDocuments(and(eq("ip", ip), eq("status", QueueStore.RUNNING)));
            assertTrue(running <= 2, ip + " runs " + running);
            assertEquals(running, q.running(ip).size(), "every running task holds a slot on " + ip);
        }
    }
}

package org.elves.center.queue;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.elves.center.queue.QueueFixture.IP;
import static org.elves.center.queue.QueueFixture.IP2;
import static org.elves.center.queue.QueueFixture.MARGIN_MS;
import static org.elves.center.queue.QueueFixture.RESEND_MS;
import static org.elves.center.queue.QueueFixture.TIMEOUT_MS;
import static org.elves.center.queue.QueueFixture.firstSends;
import static org.elves.center.queue.QueueFixture.ids;
import static org.elves.center.queue.QueueFixture.ok;
import static org.elves.center.queue.QueueFixture.resent;
import static org.elves.center.queue.QueueFixture.workerFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The periodic sweep of a live Queue: a sent task whose result does not come is sent again with
 * the same id every {@code resend-seconds} of silence, and ends {@code [410.2]} once its timeout
 * plus the result margin passed; a result that comes after a re-send is recorded once.
 */
class QueueSweepTest {
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
    void aSilentTaskIsResentWithItsIdUntilItsDeadlineThenTimesOutAndItsDependentsAreSkipped() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, a);
        String c = q.add(queue, IP2, b);
        long sent = q.now.get();
        assertEquals(List.of(a), q.commit(queue));
        assertEquals(sent, q.task(a).getLong("sent_time"));

        // before the re-send grace: nothing at all
        q.now.set(sent + RESEND_MS - 1);
        assertEquals(List.of(), q.sweep().jobs());
        assertNull(q.task(a).get("resent_time"));

        // silent for resend-seconds: the same task again, same id and body, marked resend
        q.now.set(sent + RESEND_MS);
        List<Map<String, Object>> jobs = q.sweep().jobs();
        assertEquals(1, jobs.size(), jobs.toString());
        Map<String, Object> again = jobs.get(0);
        assertEquals(a, again.get("id"));
        assertEquals(Boolean.TRUE, again.get("resend"));
        assertEquals(IP, again.get("ip"));
        assertEquals("queue", again.get("type"));
        assertEquals("helloword", again.get("func"));
        assertEquals("{\"n\":1}", again.get("param"));
        assertEquals(10, again.get("timeout"));
        assertEquals(sent + RESEND_MS, q.task(a).getLong("resent_time"));
        assertEquals(sent, q.task(a).getLong("sent_time"), "the deadline still counts from the first send");
        assertEquals("running", q.status(a));

        // a sweep every second up to the deadline: a re-send per 4 s of silence, nothing else
        List<Long> resentAt = new ArrayList<>(List.of(sent + RESEND_MS));
        for (long t = sent + RESEND_MS + 1_000; t <= sent + TIMEOUT_MS + MARGIN_MS; t += 1_000) {
            q.now.set(t);
            List<Map<String, Object>> swept = q.sweep().jobs();
            assertEquals(List.of(), firstSends(swept), "nothing new is sent at " + (t - sent));
            if (!swept.isEmpty()) {
                assertEquals(List.of(a), resent(swept));
                resentAt.add(t);
            }
            assertEquals("running", q.status(a), "not due before timeout + margin, at " + (t - sent));
        }
        assertEquals(List.of(sent + 4_000, sent + 8_000, sent + 12_000), resentAt,
                "bounded: (10 s timeout + 5 s margin) / 4 s re-sends");
        assertEquals("pendding", q.status(b));

        // just past timeout + margin: [410.2], not sent again; the dependents are skipped
        q.now.set(sent + TIMEOUT_MS + MARGIN_MS + 1);
        assertEquals(List.of(), q.sweep().jobs(), "a timed-out task is not re-sent, its skipped dependents not sent");
        Map<String, Object> record = q.record(queue, a);
        assertEquals("finish", record.get("status"));
        assertEquals("false", record.get("flag"));
        assertEquals("-1", record.get("worker_flag"));
        String error = String.valueOf(record.get("error"));
        assertTrue(error.startsWith("[410.2]Agent Answer Timeout: "), error);
        assertTrue(error.contains("no result from " + IP + " within 15 s (timeout 10 s"), error);
        QueueFixture.assertSkipped(q.record(queue, b), a, "failed");
        QueueFixture.assertSkipped(q.record(queue, c), b, "was skipped");
        assertEquals("finished", q.queueStatus(queue));
        assertEquals(q.now.get(), q.store.queue(queue).getLong("finish_time"));
        assertEquals(0L, q.open(queue));
        assertEquals(List.of(), q.running(IP), "the timed-out task's slot is free");

        // later sweeps and a late result change nothing
        q.now.addAndGet(RESEND_MS * 3);
        assertEquals(List.of(), q.sweep().jobs());
        assertEquals(List.of(), q.deliver(ok(a)).jobs());
        assertEquals("-1", q.record(queue, a).get("worker_flag"));
        assertEquals(error, q.record(queue, a).get("error"));
        QueueFixture.assertSkipped(q.record(queue, b), a, "failed");
        assertEquals(0L, q.open(queue), "a late result is not counted again");
        assertEquals("finished", q.queueStatus(queue));
    }

    @Test
    void aTimeoutFreesTheSlotAndTheSameSweepSendsTheNextTaskOfThatAgent() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, "");
        String c = q.add(queue, IP, "");
        long sent = q.now.get();
        assertEquals(List.of(a, b), q.commit(queue));
        q.now.set(sent + 2_000);
        // b answered; a stays silent; c takes b's slot
        assertEquals(List.of(c), ids(q.deliver(ok(b)).jobs()));
        q.now.set(sent + TIMEOUT_MS + MARGIN_MS + 1);
        List<Map<String, Object>> jobs = q.sweep().jobs();
        // c (sent at +2 s) is silent for 13 s: re-sent; a times out: nothing for it
        assertEquals(List.of(c), resent(jobs));
        assertEquals(List.of(), firstSends(jobs));
        assertEquals("finish", q.status(a));
        assertEquals("-1", q.task(a).getString("worker_flag"));
        assertEquals(List.of(c), q.running(IP));
        assertEquals("running", q.queueStatus(queue));
        assertEquals(1L, q.open(queue));

        // with a waiting task, the sweep that times one out hands its slot on at once
        String queue2 = q.create();
        String d = q.add(queue2, IP, "");
        String e = q.add(queue2, IP, "");
        assertEquals(List.of(d), q.commit(queue2), "one slot free: c holds the other");
        assertEquals(List.of(e), q.ready(IP));
        q.now.set(sent + 2_000 + TIMEOUT_MS + MARGIN_MS + 1);
        jobs = q.sweep().jobs();
        assertEquals("finish", q.status(c));
        assertEquals("finished", q.queueStatus(queue));
        assertEquals(List.of(e), firstSends(jobs), "c's slot goes to e in the same sweep");
        assertEquals("running", q.status(e));
        assertEquals(List.of(d, e), q.running(IP));
    }

    @Test
    void aResultAfterAResendIsRecordedOnceAndItsRepeatsChangeNothing() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, a);
        long sent = q.now.get();
        assertEquals(List.of(a), q.commit(queue));
        q.now.set(sent + RESEND_MS);
        assertEquals(List.of(a), resent(q.sweep().jobs()));

        // the agent's answer (to the first send or to the re-send: the same run)
        q.now.set(sent + RESEND_MS + 500);
        assertEquals(List.of(b), ids(q.deliver(ok(a)).jobs()), "recorded: the dependent goes out");
        Document recorded = q.task(a);
        assertEquals("finish", recorded.getString("status"));
        assertEquals("done", recorded.getString("worker_message"));
        assertEquals(1L, q.open(queue));
        assertEquals(List.of(b), q.running(IP));

        // the agent answers the other send too; even a different answer is a repeat
        q.now.set(sent + RESEND_MS + 900);
        assertEquals(List.of(), q.deliver(ok(a)).jobs(), "b is not sent twice");
        assertEquals(List.of(), q.deliver(workerFailed(a, "other")).jobs());
        Document after = q.task(a);
        for (String field : List.of("status", "flag", "error", "worker_flag", "worker_message", "worker_costtime",
                "exec_finish_time", "sent_time", "resent_time")) {
            assertEquals(recorded.get(field), after.get(field), field);
        }
        assertEquals(1L, q.open(queue), "counted once");
        assertEquals("running", q.status(b), "a repeated result that says 'failed' skips nothing");
        assertEquals(List.of(b), q.running(IP));
        assertEquals(List.of(), q.ready(IP));

        // the sweep has nothing to re-send for a: only b, once silent long enough
        assertEquals(List.of(), q.sweep().jobs());
        q.now.set(sent + RESEND_MS + 500 + RESEND_MS);
        assertEquals(List.of(b), resent(q.sweep().jobs()));

        assertEquals(List.of(), q.deliver(ok(b)).jobs());
        assertEquals("finished", q.queueStatus(queue));
        assertEquals(0L, q.open(queue));
        assertEquals(List.of(), q.deliver(ok(b)).jobs());
        assertEquals(List.of(), q.deliver(ok(a)).jobs());
        assertEquals(0L, q.open(queue), "repeats after the end are not counted");
        assertEquals("finished", q.queueStatus(queue));
        assertEquals(List.of(), q.running(IP));
        assertEquals(List.of(), q.sweep().jobs());
        Map<String, Object> record = q.record(queue, a);
        assertEquals("true", record.get("flag"));
        assertEquals("1", record.get("worker_flag"));
        assertEquals("done", record.get("worker_message"));
        assertEquals("5", record.get("worker_costtime"));
    }

    @Test
    void resendSecondsZeroResendsOnlyAtStartAndTheDeadlineStillHolds() {
        q.close();
        q = new QueueFixture(0).started();
        String queue = q.create();
        String a = q.add(queue, IP, "");
        long sent = q.now.get();
        assertEquals(List.of(a), q.commit(queue));
        for (long t = sent + 1_000; t <= sent + TIMEOUT_MS + MARGIN_MS; t += 1_000) {
            q.now.set(t);
            assertEquals(List.of(), q.sweep().jobs(), "no periodic re-send at " + (t - sent));
        }
        // a restarted Queue re-sends every running task once, whatever the setting
        q.restart();
        assertEquals(List.of(a), resent(q.sweep().jobs()));
        assertEquals(List.of(), q.sweep().jobs());
        q.now.set(sent + TIMEOUT_MS + MARGIN_MS + 1);
        assertEquals(List.of(), q.sweep().jobs());
        assertTrue(String.valueOf(q.task(a).get("error")).startsWith("[410.2]"));
        assertEquals("finished", q.queueStatus(queue));
    }

    @Test
    void aTaskWithoutTimeoutIsDueAfterADayPlusTheMargin() {
        String queue = q.create();
        Map<String, Object> body = new HashMap<>(Map.of("id", queue, "ip", IP, "func", "f", "timeout", "0"));
        String a = String.valueOf(q.queues.lifecycle().add(body).get("id"));
        long sent = q.now.get();
        q.commit(queue);
        q.now.set(sent + 86_400_000L + MARGIN_MS);
        q.sweep();
        assertEquals("running", q.status(a));
        q.now.incrementAndGet();
        assertEquals(List.of(), q.sweep().jobs());
        assertEquals("finish", q.status(a));
        assertTrue(String.valueOf(q.task(a).get("error")).contains("within 86405 s (timeout 0 s"), q.task(a).toJson());
        assertEquals("finished", q.queueStatus(queue));
    }
}

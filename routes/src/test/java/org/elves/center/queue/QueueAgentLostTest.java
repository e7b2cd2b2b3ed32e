package org.elves.center.queue;

import org.elves.center.contract.TaskResult;
import org.elves.protocol.ElvesTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.elves.center.queue.QueueFixture.IP;
import static org.elves.center.queue.QueueFixture.MARGIN_MS;
import static org.elves.center.queue.QueueFixture.RESEND_MS;
import static org.elves.center.queue.QueueFixture.TIMEOUT_MS;
import static org.elves.center.queue.QueueFixture.ids;
import static org.elves.center.queue.QueueFixture.ok;
import static org.elves.center.queue.QueueFixture.resent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 (b, c): an agent killed while its task runs. The Queue's re-sends cannot reach it and
 * the Scheduler says so (resend_failed "true"): the task stays running, is re-sent as before, and
 * ends {@code [410.3]} at its deadline unless a result comes first. And no deadline passes while
 * the broker link was down: it counts from the link's up-since when that is later.
 */
class QueueAgentLostTest {
    private static final String REFUSED = "[410.1]Send Job To Agent Fail: 127.0.0.1:11101: Connection refused";
    private QueueFixture q;

    @BeforeEach
    void start() {
        q = new QueueFixture().started();
    }

    @AfterEach
    void stop() {
        q.close();
    }

    private String sentTask(String queue) {
        return sentTaskWithChild(queue).get(0);
    }

    /** A committed queue's two tasks, a then b depending on it; a is sent. */
    private List<String> sentTaskWithChild(String queue) {
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, a);
        assertEquals(List.of(a), q.commit(queue));
        return List.of(a, b);
    }

    @Test
    void aResendThatCannotReachTheAgentKeepsTheTaskRunningUntilItsDeadlineThen4103() {
        String queue = q.create();
        long sent = q.now.get();
        List<String> ab = sentTaskWithChild(queue);
        String a = ab.get(0);
        String b = ab.get(1);

        q.now.set(sent + RESEND_MS);
        assertEquals(List.of(a), resent(q.sweep().jobs()));
        long lost = sent + RESEND_MS + 20;
        q.now.set(lost);
        assertEquals(List.of(), q.deliver(TaskResult.resendFailed(a, REFUSED)).jobs());
        assertEquals("running", q.status(a), "a re-send failure is no result");
        assertEquals(lost, q.task(a).getLong("unreachable_since"));
        assertEquals(List.of(a), q.running(IP), "it keeps its slot");

        // still re-sent, now marked so that the Scheduler says when the agent takes it again;
        // later failures keep the first time
        q.now.set(sent + 2 * RESEND_MS + 20);
        List<Map<String, Object>> again = q.sweep().jobs();
        assertEquals(List.of(a), resent(again));
        assertEquals(Boolean.TRUE, again.get(0).get("unreachable"));
        q.deliver(TaskResult.resendFailed(a, "[414.2]Agent Offline: 127.0.0.1 last sent a heartbeat at x"));
        assertEquals(lost, q.task(a).getLong("unreachable_since"));

        q.now.set(sent + TIMEOUT_MS + MARGIN_MS);
        q.sweep();
        assertEquals("running", q.status(a), "not before timeout + margin");
        q.now.set(sent + TIMEOUT_MS + MARGIN_MS + 1);
        assertEquals(List.of(), q.sweep().jobs());
        Map<String, Object> record = q.record(queue, a);
        assertEquals("finish", record.get("status"));
        assertEquals("false", record.get("flag"));
        assertEquals("-1", record.get("worker_flag"));
        assertEquals("[410.3]Agent Lost While Running: sent to " + IP + " at " + ElvesTime.format(sent)
                + "; unreachable since " + ElvesTime.format(lost) + "; no result", record.get("error"));
        QueueFixture.assertSkipped(q.record(queue, b), a, "failed");
        assertEquals("finished", q.queueStatus(queue));
    }

    @Test
    void aResultBeforeTheDeadlineIsRecordedAsUsualAndLaterNotesChangeNothing() {
        String queue = q.create();
        long sent = q.now.get();
        List<String> ab = sentTaskWithChild(queue);
        String a = ab.get(0);
        String b = ab.get(1);
        q.now.set(sent + RESEND_MS);
        q.sweep();
        q.deliver(TaskResult.resendFailed(a, REFUSED));

        // the agent came back (its restarted agent adopted the worker) and reports the real result
        q.now.set(sent + TIMEOUT_MS);
        assertEquals(List.of(b), ids(q.deliver(ok(a)).jobs()));
        Map<String, Object> record = q.record(queue, a);
        assertEquals("true", record.get("flag"));
        assertEquals("1", record.get("worker_flag"));
        assertEquals("done", record.get("worker_message"));
        assertEquals("", record.get("error"));

        // a note that arrives after the result, and the deadline, change nothing
        q.deliver(TaskResult.resendFailed(a, REFUSED));
        q.now.set(sent + TIMEOUT_MS + MARGIN_MS + 1);
        q.sweep();
        assertEquals(record, q.record(queue, a));
        assertEquals("running", q.status(b));
    }

    @Test
    void anAgentThatTakesAResendAgainButNeverReportsEnds4102() {
        String queue = q.create();
        long sent = q.now.get();
        String a = sentTask(queue);
        q.now.set(sent + RESEND_MS);
        q.sweep();
        q.deliver(TaskResult.resendFailed(a, REFUSED));
        q.now.set(sent + 2 * RESEND_MS);
        assertEquals(Boolean.TRUE, q.sweep().jobs().get(0).get("unreachable"));
        // the Scheduler: that re-send was taken
        q.deliver(TaskResult.resendReached(a));
        assertNull(q.task(a).get("unreachable_since"));
        assertEquals("running", q.status(a));
        q.now.set(sent + 3 * RESEND_MS);
        assertFalse(q.sweep().jobs().get(0).containsKey("unreachable"));

        q.now.set(sent + TIMEOUT_MS + MARGIN_MS + 1);
        q.sweep();
        String error = String.valueOf(q.record(queue, a).get("error"));
        assertTrue(error.startsWith("[410.2]Agent Answer Timeout: no result from " + IP), error);
    }

    @Test
    void aFirstSendThatFailsStillEndsTheTaskAt4101() {
        String queue = q.create();
        String a = sentTask(queue);
        q.deliver(TaskResult.failed(a, REFUSED));
        assertEquals("finish", q.status(a));
        assertEquals(REFUSED, q.record(queue, a).get("error"));
    }

    @Test
    void noDeadlinePassesWhileTheBrokerLinkIsDownAndItCountsFromItsReturn() {
        long t0 = q.now.get();
        q.brokerUpSince.set(t0 - 1_000);
        String c = sentTask(q.create());
        q.sweep();
        // the link goes down at +3 s (up-since 0) and comes back at +40 s: c's result could not flow
        q.now.set(t0 + 3_000);
        q.brokerUpSince.set(0);
        for (long t = t0 + 3_000; t <= t0 + 40_000; t += 1_000) {
            q.now.set(t);
            q.sweep();
            assertEquals("running", q.status(c), "nothing expires while the link is down, at +" + (t - t0));
        }
        long up = t0 + 40_000;
        q.brokerUpSince.set(up);
        q.now.set(up + TIMEOUT_MS + MARGIN_MS);
        q.sweep();
        assertEquals("running", q.status(c), "timeout + margin from the link's return, not from the send");
        q.now.set(up + TIMEOUT_MS + MARGIN_MS + 1);
        q.sweep();
        assertEquals("finish", q.status(c));
        assertTrue(String.valueOf(q.task(c).get("error")).startsWith("[410.2]"));

        // a task sent after the link came up counts from its own send
        String d = sentTask(q.create());
        long dSent = q.now.get();
        q.now.set(dSent + TIMEOUT_MS + MARGIN_MS);
        q.sweep();
        assertEquals("running", q.status(d));
        q.now.set(dSent + TIMEOUT_MS + MARGIN_MS + 1);
        q.sweep();
        assertEquals("finish", q.status(d));
    }

    @Test
    void anUnknownLinkUpSinceZeroFromTheStartCountsFromTheSendAsBefore() {
        long sent = q.now.get();
        String a = sentTask(q.create());
        q.now.set(sent + TIMEOUT_MS + MARGIN_MS + 1);
        q.sweep();
        assertEquals("finish", q.status(a));
    }
}

package org.elves.center.queue;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.elves.center.contract.TaskResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Updates.addToSet;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.inc;
import static com.mongodb.client.model.Updates.pull;
import static com.mongodb.client.model.Updates.set;
import static com.mongodb.client.model.Updates.unset;
import static org.elves.center.queue.QueueFixture.IP;
import static org.elves.center.queue.QueueFixture.IP2;
import static org.elves.center.queue.QueueFixture.firstSends;
import static org.elves.center.queue.QueueFixture.ok;
import static org.elves.center.queue.QueueFixture.resent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a Queue killed between two MongoDB updates leaves, written directly into the collections
 * the store uses ({@code queues}, {@code queue_tasks}, {@code queue_agents}), and its repair by
 * the sweep: by any sweep of a live instance (slots, lists, the queue's end) or by the first sweep
 * of a restarted one (roots not ready, dependents neither released nor skipped, casts that may
 * never have left). Each test also checks that no task is sent for the first time twice and that
 * no task in a terminal state is sent again.
 */
class QueueCrashRepairTest {
    private QueueFixture q;
    /** Every first send (jobs not marked resend) the Queue produced in a test. */
    private final List<String> sent = new ArrayList<>();

    @BeforeEach
    void start() {
        q = new QueueFixture().started();
    }

    @AfterEach
    void stop() {
        q.close();
    }

    @Test
    void aRecordedResultWhoseSlotAndCounterWereNotUpdatedIsSettledBySweeps() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, "");
        String c = q.add(queue, IP, "");
        assertEquals(List.of(a, b), commit(queue));
        assertEquals(List.of(c), q.ready(IP));
        // killed right after recording a's result: a's slot held, the counter still 3
        recordDirectly(a, "true", "1");
        assertEquals(3L, q.open(queue));
        assertEquals(List.of(a, b), q.running(IP));

        assertEquals(List.of(c), sweep(), "a's slot freed and taken by c; a not sent again");
        assertEquals(List.of(b, c), q.running(IP));
        assertEquals(List.of(), q.ready(IP));
        assertEquals(List.of(), sweep());
        // the broker redelivers the unacknowledged result: recorded once, nothing sent, not counted
        assertEquals(List.of(), deliver(ok(a)));
        assertEquals(3L, q.open(queue));
        assertEquals("finish", q.status(a));

        deliver(ok(b));
        deliver(ok(c));
        assertEquals(1L, q.open(queue), "the counter stays one too high: only a hint");
        assertEquals("running", q.queueStatus(queue));
        assertEquals(List.of(), sweep());
        assertEquals("finished", q.queueStatus(queue), "the sweep counts the open tasks and ends the queue");
        assertEquals(q.now.get(), q.store.queue(queue).getLong("finish_time"));
        assertEquals(List.of(), q.running(IP));
        assertSentOnce(List.of(a, b, c));
    }

    @Test
    void aClaimNeverMarkedSentIsSentOnceEvenWhenARestartedQueueSweepsBesideTheLiveOne() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, "");
        String c = q.add(queue, IP, "");
        assertEquals(List.of(a, b), commit(queue));
        // a's result recorded, slot freed and counted; killed after claiming c's slot, before marking c sent
        recordDirectly(a, "true", "1");
        q.agentsCollection.updateOne(eq("_id", IP), pull("running", a));
        q.queuesCollection.updateOne(eq("_id", queue), inc("open", -1L));
        q.agentsCollection.updateOne(eq("_id", IP), combine(pull("ready", c), addToSet("running", c)));
        assertEquals("pendding", q.status(c));
        assertEquals(List.of(b, c), q.running(IP));

        QueueInstance live = q.queues;
        QueueInstance restarted = q.restart();
        List<Map<String, Object>> liveJobs = live.sweeper().sweep(q.now.get()).jobs();
        List<Map<String, Object>> restartJobs = restarted.sweeper().sweep(q.now.get()).jobs();
        List<String> sweptFirst = new ArrayList<>(firstSends(liveJobs));
        sweptFirst.addAll(firstSends(restartJobs));
        sent.addAll(sweptFirst);
        assertEquals(List.of(c), sweptFirst, "one of the two sweeps sends c, the other does not");
        assertEquals(List.of(), resent(liveJobs));
        assertTrue(new HashSet<>(resent(restartJobs)).containsAll(List.of(b)), "the restart re-sends what is running");
        assertFalse(resent(restartJobs).contains(a), "a finished task is never re-sent");
        assertEquals("running", q.status(c));
        assertEquals(List.of(b, c), q.running(IP));
        assertEquals(List.of(), sweep());
        assertEquals(List.of(), firstSends(live.sweeper().sweep(q.now.get()).jobs()));

        deliver(ok(b));
        deliver(ok(c));
        assertEquals("finished", q.queueStatus(queue));
        assertEquals(0L, q.open(queue));
        assertSentOnce(List.of(a, b, c));
    }

    @Test
    void aLiveInstanceReleasesDependentsAFailedHandlerLeftWaitingWithinTheRepairPeriod() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, a);
        assertEquals(List.of(a), commit(queue));
        // a's result recorded and counted, its slot freed; the handler failed before releasing b
        recordDirectly(a, "true", "1");
        q.agentsCollection.updateOne(eq("_id", IP), pull("running", a));
        q.queuesCollection.updateOne(eq("_id", queue), inc("open", -1L));
        q.now.addAndGet(1_000);
        assertEquals(List.of(), sweep(), "not yet: dependents are looked for every 30 s");
        q.now.addAndGet(30_000);
        assertEquals(List.of(b), sweep(), "the periodic repair released b; the same sweep sent it");
        assertEquals(List.of(), deliver(ok(b)));
        assertEquals("finished", q.queueStatus(queue));
        assertSentOnce(List.of(a, b));
    }

    @Test
    void dependentsLeftBlockedBehindAnEndedParentAreReleasedOrSkippedAfterARestart() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, a);
        String c = q.add(queue, IP2, b);
        String f = q.add(queue, IP2, "");
        String g = q.add(queue, IP2, f);
        String h = q.add(queue, IP, g);
        assertEquals(List.of(a, f), commit(queue));
        // both results recorded, counted and their slots freed; killed before releasing or skipping the children
        for (String[] r : new String[][] {{a, IP, "1"}, {f, IP2, "0"}}) {
            recordDirectly(r[0], "true", r[2]);
            q.agentsCollection.updateOne(eq("_id", r[1]), pull("running", r[0]));
            q.queuesCollection.updateOne(eq("_id", queue), inc("open", -1L));
        }
        assertEquals(4L, q.open(queue));

        // the live instance already ran its start-up recovery; the restarted one repairs
        q.restart();
        assertEquals(List.of(b), sweep(), "a succeeded: b released and sent; a and f not sent again");
        assertEquals("running", q.status(b));
        assertEquals("pendding", q.status(c));
        QueueFixture.assertSkipped(q.record(queue, g), f, "failed");
        QueueFixture.assertSkipped(q.record(queue, h), g, "was skipped");
        assertEquals(2L, q.open(queue), "the two skipped tasks are counted once each");
        assertEquals(List.of(), sweep());
        assertEquals(2L, q.open(queue));

        assertEquals(List.of(c), deliver(ok(b)));
        assertEquals(List.of(), deliver(ok(c)));
        assertEquals("finished", q.queueStatus(queue));
        assertEquals(0L, q.open(queue));
        assertEquals("finish", q.status(a));
        assertEquals("1", q.task(a).getString("worker_flag"));
        assertEquals("finish", q.status(f));
        assertEquals("0", q.task(f).getString("worker_flag"));
        assertSentOnce(List.of(a, f, b, c));
    }

    @Test
    void aRedeliveredResultCompletesTheReleaseItsKilledHandlerLeftUndone() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, a);
        assertEquals(List.of(a), commit(queue));
        // recorded and counted, killed before freeing the slot and releasing b; the broker redelivers
        recordDirectly(a, "true", "1");
        q.queuesCollection.updateOne(eq("_id", queue), inc("open", -1L));
        assertEquals(List.of(b), deliver(ok(a)));
        assertEquals(1L, q.open(queue), "not counted again");
        assertEquals(List.of(b), q.running(IP));
        assertEquals(List.of(), deliver(ok(a)));
        assertEquals(List.of(), sweep());
        deliver(ok(b));
        assertEquals("finished", q.queueStatus(queue));
        assertSentOnce(List.of(a, b));
    }

    @Test
    void aRunningQueueWhoseTasksAllEndedIsFinishedByTheSweepWithoutSendingAnything() {
        // killed between the last task's end and the queue's: counter left at 0, at 1, or never set
        List<String> queues = new ArrayList<>();
        List<String> tasks = new ArrayList<>();
        for (Object open : new Object[] {0L, 1L, null}) {
            String queue = q.create();
            String a = q.add(queue, IP, "");
            String b = q.add(queue, IP, a);
            commit(queue);
            recordDirectly(a, "true", "0");
            q.tasksCollection.updateOne(and(eq("_id", b), eq("status", QueueStore.PENDDING)),
                    combine(set("status", QueueStore.LEGACY_SKIPPED), set("flag", "false"), set("error", "skipped: depend task " + a + " failed")));
            q.agentsCollection.updateOne(eq("_id", IP), pull("running", a));
            q.queuesCollection.updateOne(eq("_id", queue), open == null
                    ? unset("open") : set("open", open));
            queues.add(queue);
            tasks.addAll(List.of(a, b));
        }
        Map<String, Document> before = new HashMap<>();
        tasks.forEach(id -> before.put(id, q.task(id)));
        q.now.addAndGet(1_000);
        assertEquals(List.of(), q.sweep().jobs(), "nothing sent, nothing re-sent");
        for (String queue : queues) {
            assertEquals("finished", q.queueStatus(queue), queue);
            assertEquals(q.now.get(), q.store.queue(queue).getLong("finish_time"));
        }
        for (String id : tasks) {
            assertEquals(before.get(id), q.task(id), "task " + id + " untouched");
        }
        // stored before issue 12 as "skipped" (and left untouched): answered in the new form
        Map<String, Object> legacy = q.record(queues.get(0), tasks.get(1));
        assertEquals("stopped", legacy.get("status"));
        assertEquals("true", legacy.get("skipped"));
        // a finished queue is left as it is
        q.now.addAndGet(1_000);
        assertEquals(List.of(), q.restart().sweeper().sweep(q.now.get()).jobs());
        assertEquals(q.now.get() - 1_000, q.store.queue(queues.get(0)).getLong("finish_time"));
        assertSentOnce(tasks.stream().filter(id -> "finish".equals(q.status(id))).toList());
    }

    @Test
    void aChildOfATaskStoredSkippedBeforeIssue12IsSkippedInTheNewFormAfterARestart() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, a);
        String c = q.add(queue, IP, b);
        assertEquals(List.of(a), commit(queue));
        // an older Queue skipped b in the old form, then was killed before reaching c
        recordDirectly(a, "true", "0");
        q.tasksCollection.updateOne(eq("_id", b), combine(set("status", QueueStore.LEGACY_SKIPPED),
                set("flag", "false"), set("error", "skipped: depend task " + a + " failed")));
        q.agentsCollection.updateOne(eq("_id", IP), pull("running", a));
        q.queuesCollection.updateOne(eq("_id", queue), inc("open", -2L));

        q.restart();
        assertEquals(List.of(), sweep(), "nothing of a failed chain is sent");
        QueueFixture.assertSkipped(q.record(queue, c), b, "was skipped");
        assertEquals("stopped", q.record(queue, b).get("status"));
        assertEquals("finished", q.queueStatus(queue));
        assertEquals(0L, q.open(queue));
    }

    @Test
    void aQueueKilledInsideCommitGetsItsRootsSentAfterARestart() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, "");
        String c = q.add(queue, IP, a);
        // commit killed right after marking the queue running: no counter, no root ready, nothing listed
        assertTrue(q.store.moveQueue(queue, List.of(QueueStore.PENDDING), QueueStore.RUNNING, "commit_time", q.now.get()));
        assertEquals(List.of(), q.sweep().jobs(), "a live sweep sends only ready tasks");

        q.restart();
        assertEquals(List.of(a, b), sweep());
        assertTrue(q.task(a).getBoolean("ready"));
        assertEquals("pendding", q.status(c));
        assertEquals(false, q.task(c).getBoolean("ready"));
        assertEquals(List.of(), sweep());
        assertEquals(List.of(c), deliver(ok(a)));
        deliver(ok(b));
        assertEquals("running", q.queueStatus(queue));
        deliver(ok(c));
        assertEquals("finished", q.queueStatus(queue), "ends without a counter: the tasks are counted");
        assertSentOnce(List.of(a, b, c));
    }

    @Test
    void tasksMarkedRunningWhoseCastsNeverLeftAreResentOnceAfterARestart() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP2, "");
        // the commit's jobs are lost with the process
        assertEquals(List.of(a, b), commit(queue));
        long sentAt = q.now.get();
        q.now.addAndGet(1_000);
        assertEquals(List.of(), q.sweep().jobs(), "a live sweep waits resend-seconds");

        q.restart();
        List<Map<String, Object>> jobs = q.sweep().jobs();
        assertEquals(List.of(), firstSends(jobs));
        assertEquals(2, resent(jobs).size(), jobs.toString());
        assertEquals(new HashSet<>(List.of(a, b)), new HashSet<>(resent(jobs)));
        assertEquals(sentAt, q.task(a).getLong("sent_time"), "the deadline still counts from the first send");
        assertEquals(q.now.get(), q.task(a).getLong("resent_time"));
        assertEquals(List.of(), q.sweep().jobs(), "once, not at every sweep");
        deliver(ok(a));
        deliver(ok(b));
        assertEquals("finished", q.queueStatus(queue));
        assertSentOnce(List.of(a, b));
    }

    @Test
    void idsOfEndedTasksLeftInTheAgentsListsAreDroppedAndNeverSent() {
        String queue = q.create();
        String a = q.add(queue, IP, "");
        String b = q.add(queue, IP, "");
        String c = q.add(queue, IP, "");
        String d = q.add(queue, IP, "");
        assertEquals(List.of(a, b), commit(queue));
        assertEquals(List.of(c, d), q.ready(IP));
        // a ended (slot held); c ended while its id stayed in the ready list (a stale id)
        recordDirectly(a, "true", "1");
        q.queuesCollection.updateOne(eq("_id", queue), inc("open", -1L));
        assertTrue(q.store.skipPendding(c, "skipped", q.now.get()));
        q.queuesCollection.updateOne(eq("_id", queue), inc("open", -1L));

        assertEquals(List.of(d), sweep(), "c is dropped, d takes a's slot");
        assertEquals(List.of(b, d), q.running(IP));
        assertEquals(List.of(), q.ready(IP));
        assertEquals("stopped", q.status(c));
        assertEquals(List.of(), sweep());
        deliver(ok(b));
        deliver(ok(d));
        assertEquals("finished", q.queueStatus(queue));
        assertSentOnce(List.of(a, b, d));
    }

    // ---- helpers ----

    /** The conditional update {@link QueueStore#finish} does, and nothing after it. */
    private void recordDirectly(String id, String flag, String workerFlag) {
        Bson running = and(eq("_id", id), eq("status", QueueStore.RUNNING));
        assertEquals(1, q.tasksCollection.updateOne(running, combine(set("status", QueueStore.FINISH), set("flag", flag),
                set("error", ""), set("worker_flag", workerFlag), set("worker_message", "done"),
                set("worker_costtime", "5"), set("exec_finish_time", q.now.get()))).getModifiedCount());
    }

    private List<String> commit(String queue) {
        List<String> ids = q.commit(queue);
        sent.addAll(ids);
        return ids;
    }

    /** The tasks a sweep sends for the first time; any re-sent task must still be running. */
    private List<String> sweep() {
        return record(q.sweep().jobs());
    }

    private List<String> deliver(TaskResult result) {
        return record(q.deliver(result).jobs());
    }

    private List<String> record(List<Map<String, Object>> jobs) {
        for (String id : resent(jobs)) {
            assertEquals(QueueStore.RUNNING, q.status(id), "only running tasks are re-sent: " + id);
        }
        List<String> first = firstSends(jobs);
        sent.addAll(first);
        return first;
    }

    private void assertSentOnce(List<String> expected) {
        assertEquals(new HashSet<>(expected), new HashSet<>(sent), "the tasks sent: " + sent);
        assertEquals(expected.size(), sent.size(), "each sent once: " + sent);
    }
}

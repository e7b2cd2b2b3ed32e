package org.elves.center.queue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.contract.TaskResult;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.TaskIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue's rules against a real (in-memory) MongoDB server, through the real driver. */
class QueueRulesTest {
    private MongoServer server;
    private MongoClient client;
    private ElvesConfig config;
    private QueueStore store;
    private QueueInstance queues;
    private final AtomicLong now = new AtomicLong(1_000_000);

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
        config = Center.configFor(List.of(Component.QUEUE)).overrides(Map.of(
                "elves.queue.agent-concurrency", "2", "elves.queue.result-margin-seconds", "5")).build();
        store = new QueueStore(client, "elves");
        queues = QueueInstance.start(store, config, now::get, () -> 0L);
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
        config.close();
    }

    @Test
    void aChainRunsInOrderAndAnIndependentTaskAtOnce() {
        String q = create();
        String a = add(q, "127.0.0.1", "");
        String b = add(q, "127.0.0.1", a);
        String c = add(q, "127.0.0.2", b);
        String d = add(q, "127.0.0.3", "");
        assertEquals(List.of(a, d), ids(queues.lifecycle().commit(Map.of("id", q)).jobs()));
        assertEquals("running", status(q, a));
        assertEquals("pendding", status(q, b));

        assertEquals(List.of(b), ids(queues.results().record(ok(a), now.get()).jobs()));
        assertEquals(List.of(c), ids(queues.results().record(ok(b), now.get()).jobs()));
        assertTrue(queues.results().record(ok(c), now.get()).jobs().isEmpty());
        assertEquals("running", store.queue(q).getString("status"));
        queues.results().record(ok(d), now.get());
        assertEquals("finished", store.queue(q).getString("status"), "every task is terminal");
        Map<String, Object> record = record(q, a);
        assertEquals("finish", record.get("status"));
        assertEquals("1", record.get("worker_flag"));
        assertEquals("done", record.get("worker_message"));
        assertEquals("", record.get("depend_task_id"));
        assertEquals(a, record(q, b).get("depend_task_id"));
    }

    @Test
    void descendantsOfAFailedTaskAreSkippedAndNeverSent() {
        String q = create();
        String a = add(q, "127.0.0.1", "");
        String b = add(q, "127.0.0.1", a);
        String c = add(q, "127.0.0.1", b);
        String sibling = add(q, "127.0.0.1", "");
        queues.lifecycle().commit(Map.of("id", q));
        // the worker ran and said false: success is flag true and worker_flag 1 only (G15)
        TaskResult failed = TaskResult.delivered(a, "0", "no", "3");
        assertTrue(queues.results().record(failed, now.get()).jobs().isEmpty());
        QueueFixture.assertSkipped(record(q, b), a, "failed");
        QueueFixture.assertSkipped(record(q, c), b, "was skipped");
        assertEquals(null, record(q, sibling).get("skipped"), "the mark is on skipped tasks only");
        assertEquals("running", store.queue(q).getString("status"));
        queues.results().record(ok(sibling), now.get());
        assertEquals("finished", store.queue(q).getString("status"));
    }

    @Test
    void anAgentRunsAtMostItsConcurrencyAndTheRestFollowAsSlotsFree() {
        String q = create();
        List<String> tasks = List.of(add(q, "127.0.0.1", ""), add(q, "127.0.0.1", ""), add(q, "127.0.0.1", ""),
                add(q, "127.0.0.1", ""), add(q, "127.0.0.2", ""));
        List<String> sent = ids(queues.lifecycle().commit(Map.of("id", q)).jobs());
        assertEquals(3, sent.size(), "two on .1, one on .2: " + sent);
        assertEquals(List.of(tasks.get(2)), ids(queues.results().record(ok(tasks.get(0)), now.get()).jobs()));
        // a failure frees its slot too
        assertEquals(List.of(tasks.get(3)), ids(queues.results().record(TaskResult.failed(tasks.get(1),
                ErrorCode.SEND_JOB_FAIL.text()), now.get()).jobs()));
    }

    @Test
    void aResultThatArrivesTwiceIsRecordedOnce() {
        String q = create();
        String a = add(q, "127.0.0.1", "");
        String b = add(q, "127.0.0.1", a);
        queues.lifecycle().commit(Map.of("id", q));
        assertEquals(List.of(b), ids(queues.results().record(ok(a), now.get()).jobs()));
        TaskResult other = TaskResult.delivered(a, "0", "second", "9");
        assertTrue(queues.results().record(other, now.get()).jobs().isEmpty());
        assertEquals("done", record(q, a).get("worker_message"));
        assertEquals("running", status(q, b));
        // a result for a task nobody knows changes nothing
        assertTrue(queues.results().record(ok(TaskIds.next()), now.get()).jobs().isEmpty());
    }

    @Test
    void aResultThatNeverComesTimesOutAndSkipsDependents() {
        String q = create();
        String a = add(q, "127.0.0.1", "");
        String b = add(q, "127.0.0.1", a);
        queues.lifecycle().commit(Map.of("id", q));
        now.addAndGet(10_000 + 4_000);
        queues.sweeper().sweep(now.get());
        assertEquals("running", status(q, a), "timeout 10 s + margin 5 s not over yet");
        now.addAndGet(2_000);
        queues.sweeper().sweep(now.get());
        Map<String, Object> record = record(q, a);
        assertEquals("finish", record.get("status"));
        assertEquals("-1", record.get("worker_flag"));
        assertEquals("false", record.get("flag"));
        assertTrue(String.valueOf(record.get("error")).startsWith("[410.2]Agent Answer Timeout: "), record.toString());
        QueueFixture.assertSkipped(record(q, b), a, "failed");
        // the late result is ignored
        queues.results().record(ok(a), now.get());
        assertEquals("-1", record(q, a).get("worker_flag"));
    }

    @Test
    void stopCancelsTasksNotSentAndAnswersEachTasksState() {
        String q = create();
        String a = add(q, "127.0.0.1", "");
        String b = add(q, "127.0.0.1", a);
        String c = add(q, "127.0.0.2", "");
        queues.lifecycle().commit(Map.of("id", q));
        queues.results().record(ok(c), now.get());
        QueueOutcome stopped = queues.lifecycle().stopping(Map.of("id", q));
        Map<String, Object> states = result(stopped.reply());
        assertEquals(Map.of(a, "running", b, "stopped", c, "finish"), states);
        // the running task is cancelled on its agent, one cancelJobs per agent
        assertEquals(List.of(Map.of("ip", "127.0.0.1", "ids", List.of(a))), stopped.jobs());
        assertEquals("stopped", store.queue(q).getString("status"));
        // the sent task's result is still recorded, and releases nothing
        assertTrue(queues.results().record(ok(a), now.get()).jobs().isEmpty());
        assertEquals("finish", status(q, a));
        assertEquals("stopped", status(q, b));
        assertEquals("stopped", store.queue(q).getString("status"));
        assertEquals(Map.of(a, "finish", b, "stopped", c, "finish"), result(queues.lifecycle().stop(Map.of("id", q))));
    }

    @Test
    void theQueueRulesAnswerTheReferenceCodes() {
        assertCode(ErrorCode.QUEUE_NOT_FOUND, () -> queues.lifecycle().add(task(TaskIds.next(), "127.0.0.1", "")));
        assertCode(ErrorCode.PARAM_QUEUE_ID, () -> queues.lifecycle().add(task("nope", "127.0.0.1", "")));
        String q = create();
        assertCode(ErrorCode.QUEUE_STATUS, () -> queues.lifecycle().commit(Map.of("id", q)));
        String other = create();
        String foreign = add(other, "127.0.0.1", "");
        // a parent in another queue would never release the task (G17)
        assertCode(ErrorCode.DEPEND_TASK_NOT_FOUND, () -> queues.lifecycle().add(task(q, "127.0.0.1", foreign)));
        assertCode(ErrorCode.DEPEND_TASK_NOT_FOUND, () -> queues.lifecycle().add(task(q, "127.0.0.1", TaskIds.next())));
        assertCode(ErrorCode.PARAM_MODE, () -> {
            Map<String, Object> t = task(q, "127.0.0.1", "");
            t.put("mode", "X");
            queues.lifecycle().add(t);
        });
        String a = add(q, "127.0.0.1", "");
        queues.lifecycle().commit(Map.of("id", q));
        assertCode(ErrorCode.QUEUE_STATUS, () -> queues.lifecycle().commit(Map.of("id", q)));
        assertCode(ErrorCode.QUEUE_STATUS, () -> queues.lifecycle().add(task(q, "127.0.0.1", "")));
        queues.results().record(ok(a), now.get());
        assertEquals("finished", store.queue(q).getString("status"));
        assertCode(ErrorCode.QUEUE_STATUS, () -> queues.lifecycle().stop(Map.of("id", q)));
        assertCode(ErrorCode.QUEUE_NOT_FOUND, () -> queues.lifecycle().result(Map.of("id", TaskIds.next())));
    }

    @Test
    void aQuickQueueIsCreatedFilledAndCommittedAtOnce() {
        Map<String, Object> body = task(null, "127.0.0.1", "");
        body.remove("id");
        body.put("app", "apptest");
        QueueOutcome quick = queues.lifecycle().quick(body);
        Map<String, Object> ids = result(quick.reply());
        assertEquals(List.of(ids.get("task_id")), ids(quick.jobs()));
        Map<String, Object> job = quick.jobs().get(0);
        assertEquals("queue", job.get("type"));
        assertEquals("apptest", job.get("app"));
        assertEquals("NP", job.get("mode"));
        assertEquals("running", store.queue(String.valueOf(ids.get("id"))).getString("status"));
    }

    private String create() {
        return String.valueOf(queues.lifecycle().create(Map.of("app", "apptest")).get("id"));
    }

    private String add(String queue, String ip, String dependsOn) {
        return String.valueOf(queues.lifecycle().add(task(queue, ip, dependsOn)).get("id"));
    }

    private static Map<String, Object> task(String queue, String ip, String dependsOn) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", queue);
        body.put("ip", ip);
        body.put("func", "helloword");
        body.put("param", "{}");
        body.put("timeout", "10");
        body.put("depend_task_id", dependsOn);
        return body;
    }

    private static TaskResult ok(String id) {
        return TaskResult.delivered(id, "1", "done", "5");
    }

    private static List<String> ids(List<Map<String, Object>> jobs) {
        return jobs.stream().map(j -> String.valueOf(j.get("id"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(Map<String, Object> reply) {
        assertEquals("true", reply.get("flag"), String.valueOf(reply));
        return (Map<String, Object>) reply.get("result");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> record(String queue, String task) {
        return (Map<String, Object>) result(queues.lifecycle().result(Map.of("id", queue))).get(task);
    }

    private String status(String queue, String task) {
        return String.valueOf(record(queue, task).get("status"));
    }

    private static void assertCode(ErrorCode code, Runnable action) {
        ElvesException e = assertThrows(ElvesException.class, action::run);
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void onlyTheKeyThatMadeAQueueOrAnAdminMayActOnIt() {
        String q = String.valueOf(queues.lifecycle().create(new HashMap<>(Map.of("app", "apptest", "auth_id", "OWNER0000000000A"))).get("id"));
        Map<String, Object> stranger = Map.of("id", q, "caller", "OTHER00000000000", "caller_admin", "false");
        assertEquals(ErrorCode.PERMISSION_DENIED, assertThrows(ElvesException.class, () -> queues.lifecycle().result(stranger)).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, assertThrows(ElvesException.class, () -> queues.lifecycle().commit(stranger)).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, assertThrows(ElvesException.class, () -> queues.lifecycle().stopping(stranger)).code());
        assertEquals("true", queues.lifecycle().result(Map.of("id", q, "caller", "OWNER0000000000A", "caller_admin", "false")).get("flag"));
        assertEquals("true", queues.lifecycle().result(Map.of("id", q, "caller", "ADMIN00000000000", "caller_admin", "true")).get("flag"));
    }
}

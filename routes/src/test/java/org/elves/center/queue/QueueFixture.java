package org.elves.center.queue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.contract.TaskResult;
import org.elves.config.ElvesConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One Queue against a real (in-memory) mongo-java-server through the real driver, with a clock
 * the test moves: agent-concurrency 2, result margin 5 s, re-send after 4 s of silence; tasks
 * have a 10 s timeout, so a silent task is due at sent + 15 s. The collections are reachable
 * directly, to leave them as a process killed between two updates would.
 */
final class QueueFixture implements AutoCloseable {
    static final String IP = "127.0.0.1";
    static final String IP2 = "127.0.0.2";
    static final long TIMEOUT_MS = 10_000;
    static final long MARGIN_MS = 5_000;
    static final long RESEND_MS = 4_000;

    final AtomicLong now = new AtomicLong(1_000_000);
    /** The broker link's up-since as QueueInstance reads it (0: unknown, no deadline extension). */
    final AtomicLong brokerUpSince = new AtomicLong(0);
    final QueueStore store;
    final MongoCollection<Document> queuesCollection;
    final MongoCollection<Document> tasksCollection;
    final MongoCollection<Document> agentsCollection;
    private final MongoServer server;
    private final MongoClient client;
    private final ElvesConfig config;
    /** The running instance; {@link #restart()} replaces it. */
    QueueInstance queues;

    QueueFixture() {
        this(RESEND_MS);
    }

    QueueFixture(long resendMs) {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        config = Center.configFor(List.of(Component.QUEUE)).overrides(Map.of(
                "elves.queue.agent-concurrency", "2",
                "elves.queue.result-margin-seconds", String.valueOf(MARGIN_MS / 1000),
                "elves.queue.resend-seconds", String.valueOf(resendMs / 1000))).build();
        store = new QueueStore(client, "elves");
        store.ensureIndexes();
        queuesCollection = client.getDatabase("elves").getCollection("queues");
        tasksCollection = client.getDatabase("elves").getCollection("queue_tasks");
        agentsCollection = client.getDatabase("elves").getCollection("queue_agents");
        queues = QueueInstance.start(store, config, now::get, brokerUpSince::get);
    }

    /**
     * The first sweep of an instance also runs its start-up recovery (re-sends every running
     * task); done here on an empty store so that later sweeps show only the periodic work.
     */
    QueueFixture started() {
        assertEquals(List.of(), queues.sweeper().sweep(now.get()).jobs());
        return this;
    }

    /** A new Queue process on the same database (its first sweep recovers). */
    QueueInstance restart() {
        queues = QueueInstance.start(store, config, now::get, brokerUpSince::get);
        return queues;
    }

    QueueOutcome sweep() {
        return queues.sweeper().sweep(now.get());
    }

    QueueOutcome deliver(TaskResult result) {
        return queues.results().record(result, now.get());
    }

    String create() {
        return String.valueOf(queues.lifecycle().create(Map.of("app", "apptest")).get("id"));
    }

    String add(String queue, String ip, String dependsOn) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", queue);
        body.put("ip", ip);
        body.put("func", "helloword");
        body.put("param", "{\"n\":1}");
        body.put("timeout", String.valueOf(TIMEOUT_MS / 1000));
        body.put("depend_task_id", dependsOn);
        return String.valueOf(queues.lifecycle().add(body).get("id"));
    }

    List<String> commit(String queue) {
        return ids(queues.lifecycle().commit(Map.of("id", queue)).jobs());
    }

    static TaskResult ok(String id) {
        return TaskResult.delivered(id, "1", "done", "5");
    }

    static TaskResult workerFailed(String id, String message) {
        return TaskResult.delivered(id, "0", message, "7");
    }

    static List<String> ids(List<Map<String, Object>> jobs) {
        return jobs.stream().map(j -> String.valueOf(j.get("id"))).toList();
    }

    /** The ids of the jobs marked {@code resend}. */
    static List<String> resent(List<Map<String, Object>> jobs) {
        return jobs.stream().filter(j -> Boolean.TRUE.equals(j.get("resend"))).map(j -> String.valueOf(j.get("id"))).toList();
    }

    /** The ids of the jobs sent for the first time (not marked {@code resend}). */
    static List<String> firstSends(List<Map<String, Object>> jobs) {
        return jobs.stream().filter(j -> !Boolean.TRUE.equals(j.get("resend"))).map(j -> String.valueOf(j.get("id"))).toList();
    }

    Document task(String id) {
        return store.task(id);
    }

    String status(String id) {
        return store.task(id).getString("status");
    }

    String queueStatus(String queue) {
        return store.queue(queue).getString("status");
    }

    Object open(String queue) {
        return store.queue(queue).get("open");
    }

    /** The task's record as /queue/result answers it. */
    @SuppressWarnings("unchecked")
    Map<String, Object> record(String queue, String task) {
        Map<String, Object> reply = queues.lifecycle().result(Map.of("id", queue));
        assertEquals("true", reply.get("flag"), String.valueOf(reply));
        return (Map<String, Object>) ((Map<String, Object>) reply.get("result")).get(task);
    }

    /**
     * The record of a task skipped for its parent (G16): the reference's {@code stopped}, marked
     * {@code "skipped":"true"}, never delivered, its error naming the parent ("failed", "was skipped").
     */
    static void assertSkipped(Map<String, Object> record, String parentId, String what) {
        assertEquals("stopped", record.get("status"), String.valueOf(record));
        assertEquals("true", record.get("skipped"), String.valueOf(record));
        assertEquals("false", record.get("flag"), String.valueOf(record));
        assertEquals("[412.3]Stop Task Error: skipped: depend task " + parentId + " " + what, record.get("error"));
    }

    List<String> running(String ip) {
        return list(ip, "running");
    }

    List<String> ready(String ip) {
        return list(ip, "ready");
    }

    private List<String> list(String ip, String field) {
        Document agent = store.agent(ip);
        List<String> ids = agent == null ? null : agent.getList(field, String.class);
        return ids == null ? List.of() : ids;
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
        config.close();
    }
}

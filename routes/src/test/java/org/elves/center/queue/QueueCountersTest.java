package org.elves.center.queue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.contract.TaskResult;
import org.elves.config.ElvesConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-agent slot lists, the per-queue open counter and the children lists (decisions.md 13),
 * and their repair by the sweep after a handler died between two updates, against a real
 * (in-memory) mongo-java-server through the real driver.
 */
class QueueCountersTest {
    private static final String IP = "127.0.0.1";
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
        // resend 0: the sweeps below re-send nothing merely because time passed
        config = Center.configFor(List.of(Component.QUEUE)).overrides(Map.of(
                "elves.queue.agent-concurrency", "2", "elves.queue.result-margin-seconds", "5",
                "elves.queue.resend-seconds", "0")).build();
        store = new QueueStore(client, "elves");
        store.ensureIndexes();
        queues = QueueInstance.start(store, config, now::get, () -> 0L);
        // the first sweep after a start re-sends every running task: done here, on nothing
        queues.sweeper().sweep(now.get());
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
        config.close();
    }

    @Test
    void theIndexThatAnswersIdAndStatusIsCreatedOnTheEmbeddedServer() {
        List<String> names = new ArrayList<>();
        client.getDatabase("elves").getCollection("queue_tasks").listIndexes().forEach(i -> names.add(i.getString("name")));
        assertTrue(names.contains("_id_status"), names.toString());
    }

    @Test
    void slotsCounterAndChildrenFollowTheTasks() {
        String q = create();
        String a = add(q, IP, "");
        String b = add(q, IP, "");
        String c = add(q, IP, "");
        String d = add(q, "127.0.0.2", a);
        assertEquals(List.of(d), store.task(a).getList("children", String.class), "the parent lists its child");
        assertEquals(List.of(a, b), ids(queues.lifecycle().commit(Map.of("id", q)).jobs()));
        assertEquals(4L, store.queue(q).getLong("open"));
        assertEquals(List.of(a, b), running(IP));
        assertEquals(List.of(c), ready(IP));

        assertEquals(List.of(c, d), ids(queues.results().record(ok(a), now.get()).jobs()), "a's slot to c, its child d");
        assertEquals(List.of(b, c), running(IP));
        assertEquals(List.of(), ready(IP));
        assertEquals(3L, store.queue(q).getLong("open"));
        queues.results().record(ok(a), now.get());
        assertEquals(3L, store.queue(q).getLong("open"), "a repeated result counts once");

        for (String id : List.of(b, c, d)) {
            queues.results().record(ok(id), now.get());
        }
        assertEquals(0L, store.queue(q).getLong("open"));
        assertEquals("finished", store.queue(q).getString("status"));
        assertEquals(List.of(), running(IP));
        assertEquals(List.of(), running("127.0.0.2"));
    }

    @Test
    void skippedDescendantsAreCountedAndTheQueueFinishes() {
        String q = create();
        String a = add(q, IP, "");
        String b = add(q, IP, a);
        add(q, IP, b);
        queues.lifecycle().commit(Map.of("id", q));
        assertTrue(queues.results().record(TaskResult.delivered(a, "0", "bad", "5"), now.get()).jobs().isEmpty());
        assertEquals(0L, store.queue(q).getLong("open"));
        assertEquals("finished", store.queue(q).getString("status"));
    }

    @Test
    void aSlotNeverExceedsTheBoundEvenWhenTakenDirectly() {
        store.enqueue(IP, List.of("t1", "t2", "t3"));
        assertTrue(store.takeSlot(IP, "t1", 2));
        assertFalse(store.takeSlot(IP, "t1", 2), "t1 is no longer ready");
        assertTrue(store.takeSlot(IP, "t2", 2));
        assertFalse(store.takeSlot(IP, "t3", 2), "both slots are taken");
        store.releaseSlot(IP, "t1");
        store.releaseSlot(IP, "t1");
        assertTrue(store.takeSlot(IP, "t3", 2));
        assertEquals(List.of("t2", "t3"), running(IP));
    }

    @Test
    void aSlotOfATaskThatEndedWithoutFreeingItIsFreedByTheSweep() {
        String q = create();
        String a = add(q, IP, "");
        String b = add(q, IP, "");
        String c = add(q, IP, "");
        queues.lifecycle().commit(Map.of("id", q));
        // a handler killed right after recording a's result: slot held, counter not decremented
        assertTrue(store.finish(a, new Document("flag", "true").append("worker_flag", "1")));
        assertEquals(List.of(a, b), running(IP));
        assertEquals(List.of(c), ids(queues.sweeper().sweep(now.get()).jobs()), "a's slot freed, c sent");
        assertEquals(List.of(b, c), running(IP));
        assertTrue(queues.sweeper().sweep(now.get()).jobs().isEmpty(), "nothing sent twice");

        queues.results().record(ok(b), now.get());
        // the last result recorded by a dying handler too: the counter still says 1 open
        assertTrue(store.finish(c, new Document("flag", "true").append("worker_flag", "1")));
        assertEquals("running", store.queue(q).getString("status"));
        queues.sweeper().sweep(now.get());
        assertEquals("finished", store.queue(q).getString("status"), "the sweep counts the tasks");
        assertEquals(List.of(), running(IP));
    }

    @Test
    void aClaimNeverMarkedSentIsSentOnceByTheSweep() {
        String q = create();
        String a = add(q, IP, "");
        String b = add(q, IP, "");
        String c = add(q, IP, "");
        queues.lifecycle().commit(Map.of("id", q));
        // a's result recorded and its slot freed, then killed after taking the slot for c
        assertTrue(store.finish(a, new Document("flag", "true").append("worker_flag", "1")));
        store.releaseSlot(IP, a);
        assertTrue(store.takeSlot(IP, c, 2));
        assertEquals("pendding", store.task(c).getString("status"));
        assertEquals(List.of(c), ids(queues.sweeper().sweep(now.get()).jobs()));
        assertEquals("running", store.task(c).getString("status"));
        assertTrue(queues.sweeper().sweep(now.get()).jobs().isEmpty(), "sent once");
        assertEquals(List.of(b, c), running(IP));
    }

    @Test
    void aReadyTaskInNoListIsListedAndSentByTheSweep() {
        String q = create();
        String a = add(q, IP, "");
        String b = add(q, IP, a);
        queues.lifecycle().commit(Map.of("id", q));
        // killed after marking b ready, before listing it
        assertTrue(store.finish(a, new Document("flag", "true").append("worker_flag", "1")));
        store.releaseSlot(IP, a);
        store.closeOne(q);
        assertTrue(store.makeReady(b, now.get()).getBoolean("ready"));
        assertEquals(List.of(), ready(IP));
        assertEquals(List.of(b), ids(queues.sweeper().sweep(now.get()).jobs()));
        assertTrue(queues.sweeper().sweep(now.get()).jobs().isEmpty());
    }

    @Test
    void stoppedTasksLeaveTheAgentsLists() {
        String q = create();
        add(q, IP, "");
        add(q, IP, "");
        add(q, IP, "");
        queues.lifecycle().commit(Map.of("id", q));
        assertEquals(1, ready(IP).size());
        queues.lifecycle().stop(Map.of("id", q));
        assertEquals(List.of(), ready(IP));
    }

    @Test
    void twoInstancesSendEachTaskOnceAndKeepTheBound() throws Exception {
        QueueInstance other = QueueInstance.start(store, config, now::get, () -> 0L);
        String q = create();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            all.add(add(q, "127.0.1." + (i % 3), i >= 3 && i % 5 == 0 ? all.get(i - 3) : ""));
        }
        ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>(ids(queues.lifecycle().commit(Map.of("id", q)).jobs()));
        List<String> everSent = Collections.synchronizedList(new ArrayList<>(sent));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            QueueInstance service = w % 2 == 0 ? queues : other;
            workers.add(pool.submit(() -> {
                long idle = System.currentTimeMillis();
                while (System.currentTimeMillis() - idle < 1_000) {
                    String id = sent.poll();
                    if (id == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    idle = System.currentTimeMillis();
                    for (String ip : List.of("127.0.1.0", "127.0.1.1", "127.0.1.2")) {
                        assertTrue(running(ip).size() <= 2, "bound kept on " + ip);
                    }
                    List<String> next = ids(service.results().record(ok(id), now.get()).jobs());
                    everSent.addAll(next);
                    sent.addAll(next);
                }
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        assertEquals(120, everSent.size(), "every task sent");
        assertEquals(new HashSet<>(all), new HashSet<>(everSent), "each once");
        assertEquals("finished", store.queue(q).getString("status"));
        assertEquals(0L, store.queue(q).getLong("open"));
    }

    private List<String> running(String ip) {
        return list(ip, "running");
    }

    private List<String> ready(String ip) {
        return list(ip, "ready");
    }

    private List<String> list(String ip, String field) {
        Document agent = store.agent(ip);
        List<String> ids = agent == null ? null : agent.getList(field, String.class);
        return ids == null ? List.of() : ids;
    }

    private String create() {
        return String.valueOf(queues.lifecycle().create(Map.of("app", "apptest")).get("id"));
    }

    private String add(String queue, String ip, String dependsOn) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", queue);
        body.put("ip", ip);
        body.put("func", "helloword");
        body.put("param", "{}");
        body.put("timeout", "10");
        body.put("depend_task_id", dependsOn);
        return String.valueOf(queues.lifecycle().add(body).get("id"));
    }

    private static TaskResult ok(String id) {
        return TaskResult.delivered(id, "1", "done", "5");
    }

    private static List<String> ids(List<Map<String, Object>> jobs) {
        return jobs.stream().map(j -> String.valueOf(j.get("id"))).toList();
    }
}

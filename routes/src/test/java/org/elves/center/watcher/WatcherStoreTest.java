package org.elves.center.watcher;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Watcher's store and queries on the embedded mongo-java-server, as the tap feeds it: events
 * in any order and repeated, output chunks bounded to head and tail, and the logs API's filters
 * and grants.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatcherStoreTest {
    private static final int KEEP = 100;
    private final MongoServer server = new MongoServer(new MemoryBackend());
    private MongoClient client;
    private WatcherStore store;
    private LogQueries queries;
    private int db;

    @BeforeAll
    void start() {
        client = MongoClients.create(server.bindAndGetConnectionString());
    }

    @AfterAll
    void stop() {
        client.close();
        server.shutdown();
    }

    private void fresh() {
        store = new WatcherStore(client, "w" + (db++), KEEP, KEEP);
        queries = new LogQueries(store);
    }

    private static Map<String, Object> event(String id, String phase, long at, Object... fields) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("phase", phase);
        e.put("at", at);
        for (int i = 0; i < fields.length; i += 2) {
            e.put((String) fields[i], fields[i + 1]);
        }
        return e;
    }

    /** Events as one tap batch brings them: one update per task. */
    private void apply(Map<String, Object>... events) {
        Map<String, List<Map<String, Object>>> byTask = new LinkedHashMap<>();
        for (Map<String, Object> e : events) {
            byTask.computeIfAbsent((String) e.get("id"), k -> new ArrayList<>()).add(e);
        }
        List<TaskLogUpdates.Change> changes = new ArrayList<>();
        byTask.forEach((id, ofTask) -> changes.add(TaskLogUpdates.of(id, ofTask)));
        store.write(List.of(), changes, Map.of());
    }

    private void task(String id, String ip, String app, String authId, long at, boolean succeeded) {
        apply(event(id, "accepted", at, "type", "rt", "agent_ip", ip, "instruct", app, "func", "f", "auth_id", authId),
                event(id, "sent", at + 1),
                event(id, "finished", at + 5, "worker_flag", succeeded ? 1 : 0, "result_flag", succeeded ? 1 : 0,
                        "state", succeeded ? "succeeded" : "failed"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(Map<String, Object> reply) {
        assertEquals("true", reply.get("flag"), reply::toString);
        return (Map<String, Object>) reply.get("result");
    }

    @SuppressWarnings("unchecked")
    private List<String> listed(Map<String, Object> query) {
        Map<String, Object> body = new LinkedHashMap<>(query);
        body.putIfAbsent("kind", "rt");
        List<String> ids = new ArrayList<>();
        ((List<Map<String, Object>>) result(queries.logs(body)).get(body.get("kind") + "_exec_logs"))
                .forEach(l -> ids.add((String) l.get("log_id")));
        return ids;
    }

    @Test
    @SuppressWarnings("unchecked")
    void eventsInAnyOrderAndRepeatedMakeOneStoryEndingInItsOneTerminalState() {
        fresh();
        // the result first (another Watcher took the earlier events), then the rest, then repeats
        Map<String, Object> finished = event("T1", "finished", 30, "worker_flag", 1, "result_flag", 1, "state", "succeeded");
        apply(finished);
        apply(event("T1", "sent", 20), event("T1", "accepted", 10, "type", "rt", "agent_ip", "10.0.0.1", "instruct", "a"));
        apply(event("T1", "sent", 20), finished);
        Map<String, Object> whole = result(queries.task(Map.of("task_id", "T1")));
        assertEquals("succeeded", whole.get("state"));
        assertEquals(1, whole.get("result_flag"));
        List<?> states = (List<?>) whole.get("states");
        assertEquals(3, states.size(), states::toString);
        assertEquals(List.of("accepted", "sent", "finished"),
                ((List<Map<String, Object>>) whole.get("timeline")).stream().map(s -> s.get("phase")).toList());
        Map<String, Object> finishedStep = ((List<Map<String, Object>>) whole.get("timeline")).get(2);
        assertEquals(20L, ((Number) finishedStep.get("after_ms")).longValue(), "counted from accepted");
        assertEquals(10L, ((Number) whole.get("agent_sync_costtime")).longValue(), "from sent to finished");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWholeStoryInOneBatchIsOneWriteWithEveryPhaseAndState() {
        fresh();
        apply(event("T2", "accepted", 10, "type", "rt", "agent_ip", "10.0.0.1", "instruct", "a",
                        "phases", Map.of("authorised", 12)),
                event("T2", "sent", 20),
                event("T2", "finished", 40, "worker_flag", 1, "result_flag", 1, "state", "succeeded",
                        "phases", Map.of("agent_started", 25, "agent_finished", 35)),
                event("T2", "stored", 45));
        Map<String, Object> whole = result(queries.task(Map.of("task_id", "T2")));
        assertEquals(List.of("accepted", "authorised", "sent", "agent_started", "agent_finished", "finished", "stored"),
                ((List<Map<String, Object>>) whole.get("timeline")).stream().map(s -> s.get("phase")).toList());
        assertEquals(List.of("accepted", "sent", "running", "succeeded"),
                ((List<Map<String, Object>>) whole.get("states")).stream().map(s -> s.get("state")).toList());
        assertEquals("succeeded", whole.get("state"));
        assertEquals(1, whole.get("result_flag"));
    }

    @Test
    void aRunningTaskIsResultFlagTwoAndEachFilterNarrowsTheList() {
        fresh();
        task("A", "10.0.0.1", "app1", "k1", 1000, true);
        task("B", "10.0.0.2", "app1", "k2", 2000, false);
        task("C", "10.0.0.1", "app2", "k1", 3000, true);
        apply(event("D", "accepted", 4000, "type", "rt", "agent_ip", "10.0.0.3", "instruct", "app1", "auth_id", "k1"));
        apply(event("Q", "accepted", 5000, "type", "queue", "agent_ip", "10.0.0.1", "instruct", "app1"));

        assertEquals(List.of("D", "C", "B", "A"), listed(Map.of()));
        assertEquals(List.of("A", "B", "C", "D"), listed(Map.of("sort", "asc")));
        assertEquals(List.of("C", "A"), listed(Map.of("agent_ip", "10.0.0.1")));
        assertEquals(List.of("D", "B", "A"), listed(Map.of("instruct", "app1")));
        assertEquals(List.of("D", "C", "A"), listed(Map.of("by_auth_id", "k1")));
        assertEquals(List.of("B"), listed(Map.of("result_flag", "0")));
        assertEquals(List.of("D"), listed(Map.of("result_flag", "2")));
        assertEquals(List.of("D", "B"), listed(Map.of("result_flag", "02")));
        assertEquals(List.of("C", "B"), listed(Map.of("from_ms", 2000, "to_ms", 3000)));
        assertEquals(List.of("Q"), listed(Map.of("kind", "queues")));
        Map<String, Object> page = result(queries.logs(Map.of("kind", "rt", "count", 3, "page", 2)));
        assertEquals(4L, ((Number) page.get("total_number")).longValue());
        assertEquals(2L, ((Number) page.get("all_page")).longValue());
        assertEquals(2, page.get("now_page"));
        assertEquals(1, ((List<?>) page.get("rt_exec_logs")).size());
    }

    @Test
    void aKeySeesOnlyItsAppsOnTheAgentsItsGrantCoversAddressesAndNetworks() {
        fresh();
        task("A", "10.0.0.1", "app1", "k", 1000, true);
        task("B", "10.0.1.7", "app1", "k", 2000, true);
        task("C", "10.0.2.1", "app1", "k", 3000, true);
        task("D", "10.0.0.1", "app2", "k", 4000, true);
        task("E", "10.0.0.1", "app3", "k", 5000, true);
        Map<String, Object> grants = Map.of("app1", List.of("10.0.0.1", "10.0.1.0/24"), "app2", List.of("*"));
        assertEquals(List.of("D", "B", "A"), listed(Map.of("grants", grants)));
        assertEquals(List.of(), listed(Map.of("grants", Map.of())));
        assertEquals("B", result(queries.task(Map.of("task_id", "B", "grants", grants))).get("log_id"));
        ElvesException refused = assertThrows(ElvesException.class, () -> queries.task(Map.of("task_id", "C", "grants", grants)));
        assertEquals(ErrorCode.PERMISSION_DENIED, refused.code());
        ElvesException unknown = assertThrows(ElvesException.class, () -> queries.task(Map.of("task_id", "nope")));
        assertEquals(ErrorCode.TASK_LOG_NOT_FOUND, unknown.code());
    }

    private static Map<String, Object> chunk(String id, int seq, String data) {
        return new LinkedHashMap<>(Map.of("id", id, "seq", seq, "stream", "stdout", "data", data, "at", 1000L + seq));
    }

    @Test
    @SuppressWarnings("unchecked")
    void outputKeepsItsHeadAndTailCountsTheMiddleAndTakesEachChunkOnce() {
        fresh();
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            chunks.add(chunk("T", i, String.format("%09d\n", i)));
        }
        // in two batches, the second repeating the end of the first (a redelivery)
        store.write(List.of(), List.of(), Map.of("T", chunks.subList(0, 20)));
        store.write(List.of(), List.of(), Map.of("T", chunks.subList(15, 30)));
        apply(event("T", "accepted", 1, "type", "rt"));
        Map<String, Object> output = result(queries.output(Map.of("task_id", "T")));
        List<Map<String, Object>> kept = (List<Map<String, Object>>) output.get("chunks");
        assertEquals(20, kept.size(), "10 chunks of 10 bytes at each end");
        assertEquals(1L, ((Number) kept.get(0).get("seq")).longValue());
        assertEquals(30L, ((Number) kept.get(kept.size() - 1).get("seq")).longValue());
        assertEquals(true, output.get("truncated"));
        assertEquals(100L, ((Number) output.get("dropped_bytes")).longValue());
        assertEquals(300L, ((Number) output.get("total_bytes")).longValue());
        assertEquals(10L, ((Number) output.get("truncated_after_seq")).longValue());
        List<Map<String, Object>> after = (List<Map<String, Object>>) result(queries.output(Map.of("task_id", "T", "after_seq", 25))).get("chunks");
        assertEquals(List.of(26L, 27L, 28L, 29L, 30L), after.stream().map(c -> ((Number) c.get("seq")).longValue()).toList());
        assertFalse(result(queries.output(Map.of("task_id", "T"))).containsKey("end"), "running: no end yet");
        assertEquals(false, result(queries.output(Map.of("task_id", "unknown"))).get("known"));
    }

    @Test
    void aBatchOfManyTasksOutputsInsertsTheNewAndMergesTheOnesRecordedAlready() {
        fresh();
        store.write(List.of(), List.of(), Map.of("A", List.of(chunk("A", 1, "a1"), chunk("A", 2, "a2"))));
        Map<String, List<Map<String, Object>>> batch = new LinkedHashMap<>();
        // A again from its first chunk (a redelivery with one more), B new, C's first chunk in another batch
        batch.put("A", List.of(chunk("A", 3, "a3"), chunk("A", 1, "a1"), chunk("A", 2, "a2")));
        batch.put("B", List.of(chunk("B", 1, "b1")));
        batch.put("C", List.of(chunk("C", 2, "c2")));
        store.write(List.of(), List.of(), batch);
        store.write(List.of(), List.of(), Map.of("C", List.of(chunk("C", 1, "c1"))));
        assertEquals(List.of("a1", "a2", "a3"), keptData("A"));
        assertEquals(List.of("b1"), keptData("B"));
        assertEquals(List.of("c1", "c2"), keptData("C"));
        assertEquals(6L, ((Number) store.output("A").get("total_bytes")).longValue(), "each chunk counted once");
    }

    private List<String> keptData(String taskId) {
        return store.output(taskId).getList("head", Document.class).stream().map(c -> c.getString("data")).toList();
    }

    @Test
    void twoWatchersWritingOneTasksOutputLoseNoChunk() throws Exception {
        fresh();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int first = w;
            writers.add(pool.submit(() -> {
                for (int i = first + 1; i <= 40; i += 2) {
                    store.write(List.of(), List.of(), Map.of("T", List.of(chunk("T", i, "x"))));
                }
            }));
        }
        for (Future<?> f : writers) {
            f.get();
        }
        pool.shutdown();
        Document output = store.output("T");
        assertEquals(40L, ((Number) output.get("total_bytes")).longValue());
        assertEquals(40L, ((Number) output.get("last_seq")).longValue());
        List<Long> seqs = output.getList("head", Document.class).stream().map(c -> ((Number) c.get("seq")).longValue()).toList();
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList(), seqs, "every chunk, in order");
    }

    @Test
    void retentionForgetsWhatIsOlderThanItsLimit() {
        fresh();
        task("OLD", "10.0.0.1", "a", "k", 1000, true);
        task("NEW", "10.0.0.1", "a", "k", System.currentTimeMillis(), true);
        store.write(List.of(MessageRecords.of("call", "x.y.f", 1000, "{}".getBytes())), List.of(), Map.of());
        assertTrue(store.forgetBefore(new java.util.Date(System.currentTimeMillis() - 60_000)) >= 2);
        assertNull(store.log("OLD"));
        assertEquals("NEW", store.log("NEW").get("_id"));
        assertEquals(0, store.messageCount());
    }
}

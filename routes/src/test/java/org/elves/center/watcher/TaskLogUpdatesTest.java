package org.elves.center.watcher;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.eq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A batch's events of a task are written as an insert of the record they make when there is none
 * yet, and as an upsert otherwise: the two must make the same record, from every kind of story,
 * and a later batch's upsert must carry either one on alike.
 */
class TaskLogUpdatesTest {
    private MongoDatabase mongo;
    private int collections;

    private static Map<String, Object> event(String phase, long at, Object... fields) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", "T");
        e.put("phase", phase);
        e.put("at", at);
        for (int i = 0; i < fields.length; i += 2) {
            e.put((String) fields[i], fields[i + 1]);
        }
        return e;
    }

    /** Stories as batches bring them: whole, begun, ended only, cancelled, repeated, with an unknown phase. */
    private static final List<List<Map<String, Object>>> STORIES = List.of(
            List.of(event("accepted", 10, "type", "rt", "agent_ip", "10.0.0.7", "instruct", "app", "func", "f",
                            "param", "{\"password\":\"p\",\"n\":1}", "auth_id", "k", "phases", Map.of("authorised", 12)),
                    event("sent", 20),
                    event("finished", 40, "worker_flag", 1, "result_flag", 1, "state", "succeeded",
                            "phases", Map.of("agent_started", 25, "agent_finished", 35)),
                    event("stored", 45)),
            List.of(event("accepted", 10, "type", "queue", "queue_id", "q1"), event("queued", 11), event("sent", 20)),
            List.of(event("finished", 30, "worker_flag", 0, "result_flag", 0, "state", "failed")),
            List.of(event("accepted", 10, "agent_ip", "not-an-ip"), event("cancelled", 15)),
            List.of(event("sent", 20), event("sent", 20), event("sent", 18), event("stored", 50, "state", "timed-out")),
            List.of(event("accepted", 10), event("no-such-phase", 11), event("finished", 30)));

    @Test
    void anInsertedNewRecordEqualsWhatItsUpsertMakesOfNothing() {
        onEmptyMongo(() -> {
            for (List<Map<String, Object>> story : STORIES) {
                TaskLogUpdates.Change change = TaskLogUpdates.of("T", story);
                MongoCollection<Document> upserted = collection();
                MongoCollection<Document> inserted = collection();
                upserted.bulkWrite(List.of(change.upsert()));
                inserted.insertOne(change.asNew());
                assertEquals(upserted.find(eq("_id", "T")).first(), inserted.find(eq("_id", "T")).first(), story::toString);
            }
        });
    }

    @Test
    void aLaterBatchCarriesAnInsertedRecordOnAsAnUpsertedOne() {
        List<Map<String, Object>> later = List.of(event("finished", 60, "result_flag", 1, "state", "succeeded"),
                event("accepted", 5), event("processor_called", 70, "processor_sync_flag", 1));
        onEmptyMongo(() -> {
            for (List<Map<String, Object>> story : STORIES) {
                TaskLogUpdates.Change first = TaskLogUpdates.of("T", story);
                MongoCollection<Document> upserted = collection();
                MongoCollection<Document> inserted = collection();
                upserted.bulkWrite(List.of(first.upsert(), TaskLogUpdates.of("T", later).upsert()));
                inserted.insertOne(first.asNew());
                inserted.bulkWrite(List.of(TaskLogUpdates.of("T", later).upsert()));
                Document record = inserted.find(eq("_id", "T")).first();
                assertEquals(upserted.find(eq("_id", "T")).first(), record, story::toString);
                assertEquals(5L, ((Document) record.get("phases")).getLong("accepted"), "the earliest time wins");
            }
        });
    }

    @Test
    void aSecretInTheParamIsMaskedEitherWay() {
        Document record = TaskLogUpdates.of("T", STORIES.get(0)).asNew();
        assertEquals("{\"password\":\"***\",\"n\":1}", record.getString("param"));
        assertNotNull(record.get("agent_ip_num"));
        assertNull(TaskLogUpdates.of("T", List.of(event("no-such-phase", 1))), "no known phase: nothing to write");
    }

    private MongoCollection<Document> collection() {
        return mongo.getCollection("task_logs_" + (collections++));
    }

    /** Runs the test against an empty in-memory mongo-java-server. */
    private void onEmptyMongo(Runnable test) {
        MongoServer server = new MongoServer(new MemoryBackend());
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            mongo = client.getDatabase("watcher");
            test.run();
        } finally {
            server.shutdown();
        }
    }
}

package org.elves.standalone;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded MongoDB with its faster index keys, over files of either backend. */
class LeanH2BackendTest {

    @Test
    void aFileWrittenByTheOriginalBackendIsReadUpdatedAndExtended(@TempDir Path dir) {
        String file = dir.resolve("elves.h2").toString();
        with(new H2Backend(file), tasks -> insert(tasks, 0, 300));
        with(new LeanH2Backend(file), tasks -> {
            assertFound(tasks, 300, 0);
            insert(tasks, 300, 600);
            tasks.updateMany(new Document("n", new Document("$lt", 100)), new Document("$inc", new Document("runs", 1)));
            MongoWriteException repeat = assertThrows(MongoWriteException.class,
                    () -> tasks.insertOne(new Document("_id", id(17))));
            assertEquals(11000, repeat.getCode(), "the unique index still refuses a known id");
        });
        with(new LeanH2Backend(file), tasks -> assertFound(tasks, 600, 100));
        // what it wrote is BSON, which the original backend does not read: an older Elves cannot open this file
        RuntimeException refused = assertThrows(RuntimeException.class, () -> with(new H2Backend(file), tasks -> assertFound(tasks, 600, 100)));
        assertTrue(String.valueOf(refused.getMessage()).contains("127"), "H2 names the tag it does not know: " + refused);
    }

    private static void with(MongoBackend backend, Consumer<MongoCollection<Document>> use) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            use.accept(client.getDatabase("elves").getCollection("tasks"));
        } finally {
            server.shutdownNow();
        }
    }

    private static void insert(MongoCollection<Document> tasks, int from, int to) {
        List<Document> batch = new ArrayList<>();
        // out of order, so that the index's tree is searched, not only appended to
        for (int i = from; i < to; i++) {
            int n = from + (i - from) * 7 % (to - from);
            batch.add(new Document("_id", id(n)).append("n", n));
        }
        tasks.insertMany(batch);
    }

    /** All {@code count} tasks are found by id, those below {@code updated} with their update. */
    private static void assertFound(MongoCollection<Document> tasks, int count, int updated) {
        assertEquals(count, tasks.countDocuments());
        for (int i = 0; i < count; i++) {
            Document found = tasks.find(new Document("_id", id(i))).first();
            assertNotNull(found, "task " + i);
            assertEquals(i, found.getInteger("n"));
            assertEquals(i < updated ? 1 : null, found.getInteger("runs"), "task " + i);
        }
    }

    private static String id(int n) {
        return String.format("T%08X", n * 2654435761L & 0xffffffffL);
    }
}

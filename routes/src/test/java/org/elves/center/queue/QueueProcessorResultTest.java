package org.elves.center.queue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Mode P: the processor's outcome recorded once with the task and shown by /queue/result for P tasks only. */
class QueueProcessorResultTest {
    private MongoServer server;
    private MongoClient client;
    private ElvesConfig config;
    private QueueInstance queues;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        config = Center.configFor(List.of(Component.QUEUE)).build();
        queues = QueueInstance.start(new QueueStore(client, "elves"), config, System::currentTimeMillis, () -> 0L);
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
        config.close();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> record(String queue, String task) {
        Map<String, Object> all = (Map<String, Object>) queues.lifecycle().result(Map.of("id", queue)).get("result");
        return (Map<String, Object>) all.get(task);
    }

    private String add(String queue, String mode) {
        return String.valueOf(queues.lifecycle().add(Map.of("id", queue, "ip", "127.0.0.1", "func", "f", "mode", mode)).get("id"));
    }

    private static Map<String, Object> processor(String id, String flag, String error, String cost) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("processor_flag", flag);
        body.put("processor_error", error);
        body.put("processor_costtime", cost);
        return body;
    }

    @Test
    void recordedOnceAndShownForModePTasksOnly() {
        String q = String.valueOf(queues.lifecycle().create(Map.of("app", "apptest")).get("id"));
        String p = add(q, "P");
        String np = add(q, "NP");
        assertEquals("", record(q, p).get("processor_flag"), "not known yet");
        assertFalse(record(q, np).containsKey("processor_flag"), "NP tasks have no processor fields");

        queues.results().processorResult(processor(p, "true", "", "12"));
        queues.results().processorResult(processor(p, "false", "a repeat must not overwrite", "1"));
        assertEquals("true", record(q, p).get("processor_flag"));
        assertEquals("", record(q, p).get("processor_error"));
        assertEquals("12", record(q, p).get("processor_costtime"));
        queues.results().processorResult(processor("0123456789ABCDEF", "true", "", "1"));
    }
}

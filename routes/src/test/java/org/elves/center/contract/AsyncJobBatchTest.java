package org.elves.center.contract;

import org.elves.protocol.ElvesException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncJobBatchTest {
    private static AsyncJob run(String id, String ip) {
        return AsyncJob.of(id, ip, AsyncJob.CRON, "NP", "apptest", "helloword", "", 60, "").firedAt(5_000L);
    }

    @Test
    void aBatchReadsBackAsItself() {
        AsyncJobBatch batch = new AsyncJobBatch("127.0.0.1", List.of(run("a", "127.0.0.1"), run("b", "127.0.0.1")));
        Map<String, Object> body = batch.toMap();
        assertEquals("127.0.0.1", body.get("ip"));
        assertEquals(List.of(run("a", "127.0.0.1").toMap(), run("b", "127.0.0.1").toMap()), body.get("jobs"));
        assertEquals(batch, AsyncJobBatch.fromMap(body));
    }

    @Test
    void aJobThatIsNoTaskForTheAgentIsLeftOutWithItsReasonOrRefusesTheStrictRead() {
        Map<String, Object> broken = new HashMap<>(run("c", "127.0.0.1").toMap());
        broken.remove("app");
        Map<String, Object> body = Map.of("ip", "127.0.0.1",
                "jobs", List.of(run("a", "127.0.0.1").toMap(), run("b", "127.0.0.9").toMap(), broken));
        List<String> refusals = new ArrayList<>();
        AsyncJobBatch batch = AsyncJobBatch.fromMap(body, e -> refusals.add(e.getMessage()));
        assertEquals(List.of(run("a", "127.0.0.1")), batch.jobs());
        assertEquals(2, refusals.size(), refusals.toString());
        assertTrue(refusals.get(0).contains("127.0.0.9"), refusals.toString());
        assertTrue(refusals.get(1).startsWith("[403.3]"), refusals.toString());
        assertThrows(ElvesException.class, () -> AsyncJobBatch.fromMap(body));
    }

    @Test
    void aBatchWithoutAgentIsRefused() {
        assertTrue(assertThrows(ElvesException.class, () -> AsyncJobBatch.fromMap(Map.of("jobs", List.of())))
                .getMessage().startsWith("[403.1]"));
    }
}

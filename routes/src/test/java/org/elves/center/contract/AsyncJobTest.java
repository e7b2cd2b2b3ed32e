package org.elves.center.contract;

import org.elves.protocol.ElvesException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncJobTest {
    private static final AsyncJob QUEUE_TASK = AsyncJob.of("0123456789abcdef", "127.0.0.1", AsyncJob.QUEUE, "NP",
            "apptest", "helloword", "{}", 90, "");

    @Test
    void aFirstSendCarriesNoMarksAndReadsBackAsItself() {
        Map<String, Object> body = QUEUE_TASK.toMap();
        assertEquals(List.of("id", "ip", "type", "mode", "app", "func", "param", "timeout", "proxy"), List.copyOf(body.keySet()));
        assertEquals(90, body.get("timeout"));
        assertEquals(QUEUE_TASK, AsyncJob.fromMap(body));
    }

    @Test
    void theMarksAreOnTheWireOnlyWhenSet() {
        Map<String, Object> resent = QUEUE_TASK.resent(false).toMap();
        assertEquals(true, resent.get("resend"));
        assertFalse(resent.containsKey("unreachable"));
        AsyncJob unreachable = QUEUE_TASK.resent(true);
        assertEquals(true, unreachable.toMap().get("unreachable"));
        assertEquals(unreachable, AsyncJob.fromMap(unreachable.toMap()));
        AsyncJob run = AsyncJob.of("c1@1", "127.0.0.1", AsyncJob.CRON, "P", "a", "f", "", 5, "").firedAt(1_000L);
        assertEquals(1_000L, run.toMap().get("fire_time"));
        assertEquals(run, AsyncJob.fromMap(run.toMap()));
    }

    @Test
    void theReceiverGetsModeAndTypeNormalisedAndNoTimeoutMeansTheDefault() {
        Map<String, Object> body = new HashMap<>(QUEUE_TASK.toMap());
        body.put("type", "CRON");
        body.put("mode", "p");
        body.remove("timeout");
        AsyncJob job = AsyncJob.fromMap(body);
        assertEquals("cron", job.type());
        assertEquals("P", job.mode());
        assertNull(job.timeout());
    }

    @Test
    void eachMissingOrWrongFieldIsRefusedWithItsCode() {
        Map<String, String> codes = Map.of("id", "[400.1]", "ip", "[403.1]", "type", "[400.1]", "app", "[403.3]", "func", "[403.7]");
        codes.forEach((field, code) -> {
            Map<String, Object> body = new HashMap<>(QUEUE_TASK.toMap());
            body.put(field, " ");
            ElvesException e = assertThrows(ElvesException.class, () -> AsyncJob.fromMap(body), field);
            assertTrue(e.getMessage().startsWith(code) && e.getMessage().contains(field), e.getMessage());
        });
        Map<String, Object> mode = new HashMap<>(QUEUE_TASK.toMap());
        mode.put("mode", "X");
        assertTrue(assertThrows(ElvesException.class, () -> AsyncJob.fromMap(mode)).getMessage().startsWith("[403.4]"));
        Map<String, Object> timeout = new HashMap<>(QUEUE_TASK.toMap());
        timeout.put("timeout", "soon");
        assertTrue(assertThrows(ElvesException.class, () -> AsyncJob.fromMap(timeout)).getMessage().startsWith("[403.8]"));
    }
}

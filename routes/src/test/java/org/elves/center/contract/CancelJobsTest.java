package org.elves.center.contract;

import org.elves.protocol.ElvesException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CancelJobsTest {

    @Test
    void aCancelReadsBackAsItselfWithoutBlankIds() {
        CancelJobs cancel = new CancelJobs("127.0.0.1", List.of("a", "b"));
        assertEquals(Map.of("ip", "127.0.0.1", "ids", List.of("a", "b")), cancel.toMap());
        assertEquals(cancel, CancelJobs.fromMap(cancel.toMap()));
        assertEquals(cancel, CancelJobs.fromMap(Map.of("ip", "127.0.0.1", "ids", List.of("a", " ", "b"))));
    }

    @Test
    void aCancelWithoutAgentOrIdsIsRefused() {
        assertTrue(assertThrows(ElvesException.class, () -> CancelJobs.fromMap(Map.of("ids", List.of("a"))))
                .getMessage().startsWith("[403.1]"));
        assertTrue(assertThrows(ElvesException.class, () -> CancelJobs.fromMap(Map.of("ip", "127.0.0.1", "ids", List.of(""))))
                .getMessage().startsWith("[400.1]"));
    }
}

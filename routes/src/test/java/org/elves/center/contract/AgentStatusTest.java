package org.elves.center.contract;

import org.elves.protocol.ElvesException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentStatusTest {

    @Test
    void aKnownAgentHasTheReferenceFieldsAndReadsBackAsItself() {
        AgentStatus known = AgentStatus.known("127.0.0.2", true, "2026-01-01 00:00:00", 11101, Map.of("apptest", "1.0"));
        assertEquals(List.of("ip", "online", "last_hb_time", "port", "apps"), List.copyOf(known.toMap().keySet()));
        assertEquals("true", known.toMap().get("online"));
        assertEquals(known, AgentStatus.fromMap(known.toMap()));
        assertTrue(known.isOnline());
        assertFalse(AgentStatus.known("127.0.0.2", false, "x", 0, Map.of()).isOnline());
    }

    @Test
    void anAgentNotHeardFromDuringTheWarmUpIsUnknownWithTheTimeLeft() {
        AgentStatus unknown = AgentStatus.warmingUp("127.0.0.2", 15_000L);
        assertEquals(Map.of("ip", "127.0.0.2", "online", "unknown", "warmup_left_ms", 15_000L), unknown.toMap());
        assertEquals(unknown, AgentStatus.fromMap(unknown.toMap()));
        assertTrue(unknown.isUnknown());
        assertFalse(unknown.isOnline());
    }

    @Test
    void aStatusReadsWhatItHasAndRefusesOneWithoutOnline() {
        AgentStatus partial = AgentStatus.fromMap(Map.of("online", "true", "port", 11101));
        assertEquals(11101, partial.port());
        assertNull(partial.apps());
        assertTrue(assertThrows(ElvesException.class, () -> AgentStatus.fromMap(Map.of("ip", "127.0.0.2")))
                .getMessage().startsWith("[400.1]"));
    }

    @Test
    void aQueryNamesItsAgent() {
        assertEquals(Map.of("ip", "127.0.0.2"), new AgentQuery("127.0.0.2").toMap());
        assertEquals(new AgentQuery("127.0.0.2"), AgentQuery.fromMap(Map.of("ip", " 127.0.0.2 ")));
        assertTrue(assertThrows(ElvesException.class, () -> AgentQuery.fromMap(Map.of())).getMessage().startsWith("[403.1]"));
    }
}

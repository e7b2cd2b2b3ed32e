package org.elves.center.contract;

import org.elves.protocol.ElvesException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentCronListTest {
    private static final Map<String, Object> CRON = Map.of("id", "c1", "app", "apptest", "rule", "* * * * * ?");

    @Test
    void theVersionIsTheDigestOfTheCronsSoEqualListsHaveEqualVersions() {
        AgentCronList list = AgentCronList.of(List.of(CRON));
        assertEquals(list.version(), AgentCronList.of(List.of(Map.copyOf(CRON))).version());
        assertNotEquals(AgentCronList.empty().version(), list.version());
        assertEquals(16, list.version().length());
        assertEquals(List.of(), AgentCronList.empty().crons());
    }

    @Test
    void aListAndAPushReadBackAsThemselves() {
        AgentCronList list = AgentCronList.of(List.of(CRON));
        assertEquals(Map.of("version", list.version(), "crons", List.of(CRON)), list.toMap());
        assertEquals(list, AgentCronList.fromMap(list.toMap()));
        CronPush push = new CronPush("127.0.0.1", list);
        assertEquals(Map.of("ip", "127.0.0.1", "crons", list.toMap()), push.toMap());
        assertEquals(push, CronPush.fromMap(push.toMap()));
    }

    @Test
    void aListWithoutVersionAndAPushWithoutAgentOrListAreRefused() {
        assertThrows(ElvesException.class, () -> AgentCronList.fromMap(Map.of("crons", List.of())));
        assertTrue(assertThrows(ElvesException.class, () -> CronPush.fromMap(Map.of("crons", AgentCronList.empty().toMap())))
                .getMessage().startsWith("[403.1]"));
        assertTrue(assertThrows(ElvesException.class, () -> CronPush.fromMap(Map.of("ip", "127.0.0.1")))
                .getMessage().startsWith("[400.1]"));
    }
}

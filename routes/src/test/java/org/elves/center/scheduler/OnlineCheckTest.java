package org.elves.center.scheduler;

import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.Instruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OnlineCheckTest {
    private final ElvesConfig config = Center.configFor(List.of(Component.SCHEDULER)).build();
    private final OnlineCache cache = new OnlineCache(System::currentTimeMillis, () -> 60_000);
    private final OnlineCheck check = new OnlineCheck(config, cache);
    private final Instruct ins = new Instruct().setId("t1").setIp("127.0.0.2").setApp("apptest").setProxy("");

    @AfterEach
    void close() {
        config.close();
    }

    private static Map<String, Object> stat(String online, Map<String, Object> more) {
        Map<String, Object> result = new java.util.HashMap<>(more);
        result.put("online", online);
        return Map.of("flag", "true", "error", "", "result", result);
    }

    @Test
    void anOnlineAgentWithTheAppIsCalledOnItsReportedPort() {
        assertEquals(12345, check.agentPort(ins, stat("true", Map.of("port", 12345, "apps", Map.of("apptest", "1")))));
        assertEquals(11101, check.agentPort(ins, stat("true", Map.of())), "an original agent reports no port");
    }

    @Test
    void unknownOfflineAndMissingAppHaveTheirCodes() {
        Map<String, Object> unknown = Map.of("flag", "false", "error", "[414.1]Agent Info Not Found: 127.0.0.2");
        assertEquals(ErrorCode.AGENT_NOT_FOUND, assertThrows(ElvesException.class, () -> check.agentPort(ins, unknown)).code());
        assertEquals(ErrorCode.AGENT_OFFLINE, assertThrows(ElvesException.class,
                () -> check.agentPort(ins, stat("false", Map.of()))).code());
        assertEquals(ErrorCode.APP_NOT_FOUND, assertThrows(ElvesException.class,
                () -> check.agentPort(ins, stat("true", Map.of("apps", Map.of("other", "1"))))).code());
        assertEquals(ErrorCode.INTERNAL, assertThrows(ElvesException.class,
                () -> check.agentPort(ins, Map.of("flag", "false", "error", "boom"))).code());
    }

    @Test
    void aSendFailureMakesTheNextTaskAskHeartbeatAgain() {
        cache.remember("127.0.0.2", stat("true", Map.of()));
        check.failed(ins, new ElvesException(ErrorCode.APP_NOT_FOUND, "x"));
        assertEquals(stat("true", Map.of()), check.known("127.0.0.2"));
        check.failed(ins, new ElvesException(ErrorCode.SEND_JOB_FAIL, "refused"));
        assertNull(check.known("127.0.0.2"));
    }

    @Test
    void withTheCheckOffNothingIsAskedAndTheDefaultPortIsUsed() {
        try (ElvesConfig off = Center.configFor(List.of(Component.SCHEDULER))
                .override("elves.scheduler.check-online", "false").build()) {
            OnlineCheck unchecked = new OnlineCheck(off, cache);
            assertSame(OnlineCheck.NOT_CHECKED, unchecked.known("127.0.0.9"));
            assertEquals(11101, unchecked.agentPort(ins, OnlineCheck.NOT_CHECKED));
        }
    }
}

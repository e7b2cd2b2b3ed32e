package org.elves.center.scheduler;

import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.Instruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnlineCheckTest {
    private final ElvesConfig config = Center.configFor(List.of(Component.SCHEDULER)).build();
    private final OnlineCache cache = new OnlineCache(System::currentTimeMillis, () -> 60_000);
    private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
    private final OnlineCheck check = new OnlineCheck(config, cache, now::get);
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
            OnlineCheck unchecked = new OnlineCheck(off, cache, now::get);
            assertSame(OnlineCheck.NOT_CHECKED, unchecked.known("127.0.0.9"));
            assertEquals(11101, unchecked.agentPort(ins, OnlineCheck.NOT_CHECKED));
        }
    }

    private static Map<String, Object> warming(long leftMs) {
        return Map.of("flag", "true", "error", "", "result",
                Map.of("ip", "127.0.0.2", "online", "unknown", "warmup_left_ms", leftMs));
    }

    /**
     * What route scheduler.online does with Heartbeat's answers: asks while askAgain says so,
     * after pauseMs; returns the pauses it made. {@code answers} gives Heartbeat's answer at a time.
     */
    private List<Long> askLikeTheRoute(Exchange exchange, java.util.function.LongFunction<Map<String, Object>> answers) {
        List<Long> pauses = new ArrayList<>();
        while (check.askAgain(exchange)) {
            long pause = check.pauseMs(exchange);
            pauses.add(pause);
            now.addAndGet(pause);
            check.heartbeatAnswered(answers.apply(now.get()), exchange);
            assertTrue(pauses.size() < 1000, "bounded");
        }
        return pauses;
    }

    private Exchange exchangeFor(Instruct task) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        assertEquals(Map.of("ip", "127.0.0.2"), check.query(task, exchange));
        return exchange;
    }

    @Test
    void duringHeartbeatsWarmupATaskAsksAgainEveryPollUntilTheAgentsFirstBeatThenProceeds() {
        Instruct task = ins.deepCopy().setType("queue");
        Exchange exchange = exchangeFor(task);
        long start = now.get();
        // Heartbeat started 3 s ago (12 s of warm-up left); the agent's first beat reaches it at +2.2 s
        List<Long> pauses = askLikeTheRoute(exchange, t -> t < start + 2_200
                ? warming(start + 12_000 - t) : stat("true", Map.of("port", 12345, "apps", Map.of("apptest", "1"))));
        assertEquals(List.of(0L, 500L, 500L, 500L, 500L, 500L), pauses, "asked at once, then every 500 ms");
        assertEquals(start + 2_500, now.get(), "proceeds at the first question after the beat");
        assertEquals(12345, check.agentPort(task, exchange.getProperty(OnlineCheck.ONLINE, Map.class)));
        assertEquals(stat("true", Map.of("port", 12345, "apps", Map.of("apptest", "1"))), check.known("127.0.0.2"),
                "cached for the other tasks of that agent");
    }

    @Test
    void anAgentThatNeverBeatsIs4141WhenTheWarmupEndsAndTheTaskNoLater() {
        Instruct task = ins.deepCopy().setType("queue");
        Exchange exchange = exchangeFor(task);
        long start = now.get();
        Map<String, Object> after = Map.of("flag", "false", "error", "[414.1]Agent Info Not Found: 127.0.0.2 has never sent a heartbeat");
        List<Long> pauses = askLikeTheRoute(exchange, t -> t < start + 1_200 ? warming(start + 1_200 - t) : after);
        // asked at 0, 500, 1000, then at the warm-up's end (1200): Heartbeat's own 414.1
        assertEquals(List.of(0L, 500L, 500L, 200L), pauses);
        ElvesException e = assertThrows(ElvesException.class,
                () -> check.agentPort(task, exchange.getProperty(OnlineCheck.ONLINE, Map.class)));
        assertEquals(ErrorCode.AGENT_NOT_FOUND, e.code());

        // a realtime task waits at most elves.scheduler.warmup-wait-realtime-ms (15 s), then 414.1 itself
        Instruct rt = ins.deepCopy().setType("rt");
        Exchange realtime = exchangeFor(rt);
        long rtStart = now.get();
        List<Long> waited = askLikeTheRoute(realtime, t -> warming(20_000));
        assertEquals(rtStart + 15_000, now.get());
        assertEquals(31, waited.size(), "0 then 30 pauses of 500 ms");
        ElvesException rtError = assertThrows(ElvesException.class,
                () -> check.agentPort(rt, realtime.getProperty(OnlineCheck.ONLINE, Map.class)));
        assertEquals(ErrorCode.AGENT_NOT_FOUND, rtError.code());
        assertTrue(rtError.getMessage().contains("sent no heartbeat since Heartbeat started"), rtError.getMessage());
    }

    @Test
    void aWaitingTaskStopsAskingOnceAnotherTaskCachedItsAgentsAnswer() {
        Exchange exchange = exchangeFor(ins.deepCopy().setType("cron"));
        assertTrue(check.askAgain(exchange));
        check.heartbeatAnswered(warming(10_000), exchange);
        assertTrue(check.askAgain(exchange));
        cache.remember("127.0.0.2", stat("true", Map.of("port", 999)));
        assertFalse(check.askAgain(exchange));
        assertEquals(999, check.agentPort(ins, exchange.getProperty(OnlineCheck.ONLINE, Map.class)));
        // a fresh answer known at the start: nothing asked at all
        assertFalse(check.askAgain(exchangeFor(ins.deepCopy().setType("queue"))));
    }

    @Test
    void brokerUnavailableAndHeartbeatTimeoutAreUnansweredNotAgentFailures() {
        assertTrue(OnlineCheck.unanswered(Map.of("flag", "false", "error", "[503.2]Message Broker Unavailable")));
        assertTrue(OnlineCheck.unanswered(Map.of("flag", "false", "error", "[500.1]Internal Component Timeout: heartbeat did not answer")));
        assertFalse(OnlineCheck.unanswered(Map.of("flag", "false", "error", "[414.1]Agent Info Not Found")));
        assertFalse(OnlineCheck.unanswered(stat("true", Map.of())));
        assertFalse(OnlineCheck.unanswered(null));
    }
}

package org.elves.center.heartbeat;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.AgentInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentRegistryTest {
    private long now = 1_000_000L;
    private final AgentRegistry registry = new AgentRegistry(() -> now, () -> 10_000L, () -> 3L);
    /** No warm-up unless a test sets one (interval 10 s + slack 5 s in production). */
    private long warmupMs = 0;
    private final HeartbeatWarmup warmup = new HeartbeatWarmup(() -> now, () -> warmupMs);
    private final HeartbeatQueries queries = new HeartbeatQueries(registry, warmup,
            new BeatSharing(registry, "this-instance", () -> now, () -> 250L));

    @Test
    void onlineWithinThreeIntervalsOfTheAgentsOwnPeriod() {
        registry.record(agent("127.0.0.2", 0));
        now += 30_000;
        assertTrue(registry.isOnline(registry.find("127.0.0.2")));
        now += 1;
        assertFalse(registry.isOnline(registry.find("127.0.0.2")));

        AgentInfo slow = agent("127.0.0.3", 60);
        registry.record(slow);
        now += 179_000;
        assertTrue(registry.isOnline(registry.find("127.0.0.3")), "a 60 s agent is online for 180 s");
    }

    @Test
    @SuppressWarnings("unchecked")
    void statAnswersWithAppsAndPortAndUnknownIs414() {
        AgentInfo info = agent("127.0.0.2", 10);
        info.setApps("{\"apptest\":\"1.0.0\"}");
        info.setPort(11111);
        registry.record(info);
        Map<String, Object> stat = (Map<String, Object>) queries.getStatByIp(Map.of("ip", "127.0.0.2")).get("result");
        assertEquals("true", stat.get("online"));
        assertEquals(11111, stat.get("port"));
        assertEquals(Map.of("apptest", "1.0.0"), stat.get("apps"));

        ElvesException e = assertThrows(ElvesException.class, () -> queries.getStatByIp(Map.of("ip", "10.9.9.9")));
        assertEquals(ErrorCode.AGENT_NOT_FOUND, e.code());
        assertEquals(ErrorCode.PARAM_IP, assertThrows(ElvesException.class, () -> queries.getStatByIp(Map.of())).code());
    }

    @Test
    @SuppressWarnings("unchecked")
    void agentInfoRefusesOfflineAgentsAndListsOnlyOnlineOnes() {
        registry.record(agent("127.0.0.2", 10));
        now += 40_000;
        registry.record(agent("127.0.0.3", 10));
        assertEquals(ErrorCode.AGENT_NOT_FOUND,
                assertThrows(ElvesException.class, () -> queries.agentInfo(Map.of("ip", "127.0.0.2"))).code());
        Map<String, Object> list = queries.agentList(Map.of());
        assertEquals(1, list.get("count"));
        assertEquals("127.0.0.3", ((List<Map<String, Object>>) list.get("result")).get(0).get("ip"));

        Map<String, Object> stat = (Map<String, Object>) queries.getOnlineStat(Map.of()).get("result");
        assertEquals(2, stat.get("total"));
        assertEquals(1, stat.get("totalonline"));
        assertEquals(1, stat.get("javaonline"));

        List<Map<String, Object>> both = (List<Map<String, Object>>) queries
                .getStatByIpList(Map.of("iplist", List.of("127.0.0.2", "127.0.0.9"))).get("result");
        assertEquals("false", both.get(0).get("online"));
        assertEquals("false", both.get(1).get("known"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void whileWarmingUpAnAgentNotHeardFromIsUnknownWithTheWarmupLeftThen414() {
        warmupMs = 15_000;
        long started = now;
        Map<String, Object> first = queries.getStatByIp(Map.of("ip", "127.0.0.2"));
        assertEquals("true", first.get("flag"), "no error while the agent's first beat may be on its way");
        assertEquals(Map.of("ip", "127.0.0.2", "online", "unknown", "warmup_left_ms", 15_000L), first.get("result"));

        now = started + 6_000;
        assertEquals(9_000L, ((Map<String, Object>) queries.getStatByIp(Map.of("ip", "127.0.0.2")).get("result"))
                .get("warmup_left_ms"));
        // its first beat: known from now on, whatever the warm-up
        now = started + 7_000;
        registry.record(agent("127.0.0.2", 10));
        Map<String, Object> stat = (Map<String, Object>) queries.getStatByIp(Map.of("ip", "127.0.0.2")).get("result");
        assertEquals("true", stat.get("online"));

        // an agent that never beats: unknown until the warm-up's last millisecond, then 414.1 at once
        now = started + 14_999;
        assertEquals("unknown", ((Map<String, Object>) queries.getStatByIp(Map.of("ip", "127.0.0.3")).get("result")).get("online"));
        now = started + 15_000;
        ElvesException e = assertThrows(ElvesException.class, () -> queries.getStatByIp(Map.of("ip", "127.0.0.3")));
        assertEquals(ErrorCode.AGENT_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("has never sent a heartbeat"), e.getMessage());
        // the warm-up is read live: lengthening it (ZooKeeper) applies to the next question
        warmupMs = 20_000;
        assertEquals(5_000L, ((Map<String, Object>) queries.getStatByIp(Map.of("ip", "127.0.0.3")).get("result"))
                .get("warmup_left_ms"));
        // other questions are about agents already known: unchanged
        assertEquals(ErrorCode.AGENT_NOT_FOUND,
                assertThrows(ElvesException.class, () -> queries.agentInfo(Map.of("ip", "127.0.0.3"))).code());
    }

    @Test
    void aHeartbeatWithoutIpIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> registry.record(new AgentInfo()));
    }

    private static AgentInfo agent(String ip, int interval) {
        AgentInfo info = new AgentInfo();
        info.setIp(ip);
        info.setId("asset-" + ip);
        info.setVersion("0.1.0");
        info.setApps("{}");
        info.setType("java");
        if (interval > 0) {
            info.setInterval(interval);
        }
        return info;
    }
}

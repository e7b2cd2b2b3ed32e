package org.elves.center.heartbeat;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.AgentInfo;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Heartbeat instances, A and B, exchanging their batches by hand as the broker would carry
 * them: what an agent told one is known to both, with the same answers.
 */
class BeatSharingTest {
    private long now = 5_000_000L;
    private final AgentRegistry registryA = new AgentRegistry(() -> now, () -> 10_000L, () -> 3L);
    private final AgentRegistry registryB = new AgentRegistry(() -> now, () -> 10_000L, () -> 3L);
    private final BeatSharing a = new BeatSharing(registryA, "a", () -> now, () -> 250L);
    private final BeatSharing b = new BeatSharing(registryB, "b", () -> now, () -> 250L);
    private final HeartbeatWarmup noWarmup = new HeartbeatWarmup(() -> now, () -> 0L);
    private final HeartbeatQueries queriesA = new HeartbeatQueries(registryA, noWarmup, a);
    private final HeartbeatQueries queriesB = new HeartbeatQueries(registryB, noWarmup, b);

    @Test
    void anAgentThatBeatsOneInstanceIsOnlineOnTheOtherWithTheSameAnswer() throws Exception {
        beat(registryA, a, "10.1.0.1", "{\"apptest\":\"1.0\"}");
        deliver(a, b);

        assertEquals(queriesA.getStatByIp(Map.of("ip", "10.1.0.1")), queriesB.getStatByIp(Map.of("ip", "10.1.0.1")));
        assertEquals(queriesA.getInfoByIp(Map.of("ip", "10.1.0.1")), queriesB.getInfoByIp(Map.of("ip", "10.1.0.1")));
        assertEquals(queriesA.getOnlineStat(Map.of()), queriesB.getOnlineStat(Map.of()));
        assertEquals(queriesA.appList(Map.of()), queriesB.appList(Map.of()));
    }

    @Test
    void theNewestBeatWinsWhicheverInstanceGotItAndTheFirstSightingIsTheEarliest() throws Exception {
        long first = now;
        beat(registryA, a, "10.1.0.2", "{\"apptest\":\"1.0\"}");
        deliver(a, b);
        now += 10_000;
        beat(registryB, b, "10.1.0.2", "{\"apptest\":\"2.0\"}");
        deliver(b, a);
        // a third instance's old batch arriving late changes nothing but the first sighting
        BeatSharing c = new BeatSharing(new AgentRegistry(() -> now, () -> 10_000L, () -> 3L), "c", () -> now, () -> 250L);
        c.offer(new AgentRegistry.AgentState(agent("10.1.0.2", "{\"apptest\":\"0.1\"}"), Map.of(), first - 1, first - 1));
        byte[] late = c.nextBatch();
        a.received(late);
        b.received(late);

        for (AgentRegistry registry : new AgentRegistry[] {registryA, registryB}) {
            AgentRegistry.AgentState state = registry.find("10.1.0.2");
            assertEquals(now, state.lastSeen());
            assertEquals(Map.of("apptest", "2.0"), state.apps());
            assertEquals(first - 1, state.firstSeen());
        }
    }

    @Test
    void aStartingInstanceAsksAndTheOthersShareAllTheyKnow() throws Exception {
        beat(registryA, a, "10.1.0.3", "{}");
        beat(registryA, a, "10.1.0.4", "{}");
        deliver(a, b);
        AgentRegistry registryC = new AgentRegistry(() -> now, () -> 10_000L, () -> 3L);
        BeatSharing c = new BeatSharing(registryC, "c", () -> now, () -> 250L);

        byte[] question = c.nextBatch();
        assertNotNull(question, "the first batch asks even when it has no beats");
        c.published();
        assertNull(c.nextBatch(), "and only the first");
        a.received(question);
        deliver(a, c);

        assertNotNull(registryC.find("10.1.0.3"));
        assertNotNull(registryC.find("10.1.0.4"));
    }

    @Test
    void anAgentUnknownHereIsAskedAgainForTwoBatchPeriodsWhileOtherInstancesRun() throws Exception {
        ElvesException alone = assertThrows(ElvesException.class, () -> queriesB.getStatByIp(Map.of("ip", "10.1.0.9")));
        assertEquals(ErrorCode.AGENT_NOT_FOUND, alone.code(), "one instance: unknown at once");

        deliver(a, b);
        @SuppressWarnings("unchecked")
        Map<String, Object> stat = (Map<String, Object>) queriesB.getStatByIp(Map.of("ip", "10.1.0.9")).get("result");
        assertEquals("unknown", stat.get("online"));
        assertTrue(((Number) stat.get("warmup_left_ms")).longValue() >= 500, stat::toString);

        now += BeatSharing.PEER_SILENCE_MS;
        assertEquals(ErrorCode.AGENT_NOT_FOUND,
                assertThrows(ElvesException.class, () -> queriesB.getStatByIp(Map.of("ip", "10.1.0.9"))).code(),
                "the other instance is gone: unknown at once again");
    }

    @Test
    void aBatchOfItsOwnOrAGarbledOneChangesNothing() throws Exception {
        beat(registryA, a, "10.1.0.5", "{}");
        byte[] own = a.nextBatch();
        a.published();
        registryA.merge(agent("10.1.0.5", "{}"), now + 1, now + 1);
        a.received(own);
        assertEquals(now + 1, registryA.find("10.1.0.5").lastSeen(), "its own older batch is skipped");
        b.received(new byte[] {1, 2, 3});
        assertTrue(registryB.all().isEmpty());
    }

    @Test
    void aLargeFleetGoesOutInBoundedBatchesAndNothingIsLeftBehind() throws Exception {
        for (int i = 0; i < BeatSharing.BATCH_MAX + 10; i++) {
            beat(registryA, a, "10.2." + (i / 250) + "." + (i % 250), "{}");
        }
        b.received(a.nextBatch());
        assertEquals(BeatSharing.BATCH_MAX, registryB.all().size());
        b.received(a.nextBatch());
        assertEquals(BeatSharing.BATCH_MAX + 10, registryB.all().size());
    }

    private static void beat(AgentRegistry registry, BeatSharing sharing, String ip, String apps) {
        sharing.offer(registry.record(agent(ip, apps)));
    }

    private static void deliver(BeatSharing from, BeatSharing to) throws Exception {
        byte[] batch = from.nextBatch();
        from.published();
        to.received(batch);
    }

    private static AgentInfo agent(String ip, String apps) {
        AgentInfo info = new AgentInfo("asset-" + ip, ip, "1.0", apps);
        info.setInterval(10);
        info.setPort(11101);
        return info;
    }
}

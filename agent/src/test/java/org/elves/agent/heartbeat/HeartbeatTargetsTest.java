package org.elves.agent.heartbeat;

import org.elves.agent.config.Endpoint;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatTargetsTest {
    private static final List<Endpoint> SERVERS = List.of(
            new Endpoint("10.0.0.1", 11102), new Endpoint("10.0.0.2", 11102), new Endpoint("10.0.0.3", 11102));

    @Test
    void anAnsweredBeatStaysWithItsServerAndWaitsTheInterval() {
        HeartbeatTargets targets = new HeartbeatTargets(SERVERS, "192.168.1.7", 10_000, 60_000, new SplittableRandom(1));
        Endpoint first = targets.current();
        assertEquals(10_000, targets.answered());
        assertEquals(first, targets.current());
    }

    @Test
    void failuresMoveAlongTheListWithPausesWithinADoublingCappedBound() {
        HeartbeatTargets targets = new HeartbeatTargets(SERVERS, "192.168.1.7", 10_000, 8_000, new SplittableRandom(7));
        int start = SERVERS.indexOf(targets.current());
        long[] bounds = {1_000, 2_000, 4_000, 8_000, 8_000, 8_000};
        for (int failure = 1; failure <= bounds.length; failure++) {
            long pause = targets.failed();
            assertTrue(pause >= 0 && pause <= bounds[failure - 1], "pause " + pause + " after failure " + failure);
            assertEquals(SERVERS.get((start + failure) % SERVERS.size()), targets.current());
        }
        targets.answered();
        assertEquals(0, targets.failuresInARow());
        assertTrue(targets.failed() <= 1_000, "an answer resets the bound");
    }

    @Test
    void agentsWhoseServerDiedDoNotAllRetryInTheSameSecond() {
        Map<Long, Integer> bySecondTenth = new HashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        for (int agent = 0; agent < 1_000; agent++) {
            HeartbeatTargets targets = new HeartbeatTargets(SERVERS, "10.1." + agent / 250 + "." + agent % 250, 10_000, 60_000, random.split());
            bySecondTenth.merge(targets.failed() / 100, 1, Integer::sum);
        }
        // spread over the first second in tenths: none holds more than a fifth of the fleet
        assertTrue(bySecondTenth.size() >= 10, bySecondTenth.toString());
        assertTrue(bySecondTenth.values().stream().allMatch(n -> n < 200), bySecondTenth.toString());
    }

    @Test
    void agentsStartAtDifferentServersSoSeveralShareTheFleet() {
        Map<Endpoint, Integer> firstServer = new HashMap<>();
        for (int agent = 0; agent < 300; agent++) {
            HeartbeatTargets targets = new HeartbeatTargets(SERVERS, "10.2." + agent / 250 + "." + agent % 250, 10_000, 60_000, new SplittableRandom(agent));
            firstServer.merge(targets.current(), 1, Integer::sum);
        }
        assertEquals(3, firstServer.size(), firstServer.toString());
        assertTrue(firstServer.values().stream().allMatch(n -> n > 50), firstServer.toString());
    }
}

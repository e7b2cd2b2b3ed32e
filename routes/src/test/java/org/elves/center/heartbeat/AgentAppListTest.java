package org.elves.center.heartbeat;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rule of a heartbeat answer's data: what an original agent keeps, gets and loses. */
class AgentAppListTest {

    @Test
    void keepsHandInstalledAppsDeploysWantedVersionsAndDropsRevokedOnes() {
        Map<String, Object> data = AgentAppList.data(
                Map.of("deployed", "2.0"),
                Set.of("deployed", "revoked"),
                Map.of("deployed", "1.0", "revoked", "1.0", "handmade", "0.9"));
        assertEquals(Map.of("deployed", "2.0", "handmade", "0.9"), data);
    }

    @Test
    void withNothingManagedTheAgentKeepsWhatItReported() {
        assertEquals(Map.of("handmade", "0.9"), AgentAppList.data(Map.of(), Set.of(), Map.of("handmade", "0.9")));
    }

    @Test
    void aManagedAppTheAgentDoesNotHaveIsNotAdded() {
        assertEquals(Map.of(), AgentAppList.data(Map.of(), Set.of("elsewhere"), Map.of()));
    }
}

package org.elves.agent;

import org.elves.agent.config.AgentSettings;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentFleetTest {
    @TempDir
    Path apps;

    @TempDir
    Path state;

    @Test
    void eachEmulatedAgentAnswersOnItsOwnAddressWithItsOwnIdentity() throws Exception {
        TestApps.shell(apps, "whoami", "printf '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>%s</ElvesWResult>' \"$ELVES_AGENT_IP\"\n");
        AgentSettings template = AgentSettings.builder().appsDir(apps).stateDir(state).port(0).heartbeatEnabled(false).build();
        try (AgentFleet fleet = AgentFleet.start(template, AgentFleet.expand("127.0.0.2-127.0.0.4"))) {
            assertEquals(3, fleet.size());
            for (String ip : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
                ElvesAgent agent = fleet.agent(ip);
                assertEquals(ip, agent.settings().bind());
                assertEquals(ip, agent.settings().asset());
                assertEquals(List.of(ip), agent.settings().ipList());
                try (AgentClient c = AgentClient.connect(ip, agent.port())) {
                    Reinstruct r = c.api.instructionInvokeSync(AgentClient.instruct("SAMEIDONEVERYONE", "whoami", "f", ""));
                    assertEquals(ip, r.getResult(), "the same task id runs once per agent, not once per fleet");
                }
            }
            assertNull(fleet.agent("127.0.0.5"));
        }
    }

    @Test
    void aFleetThatCannotBindEveryAddressStartsNothing() throws Exception {
        AgentSettings template = AgentSettings.builder().appsDir(apps).stateDir(state).port(0).heartbeatEnabled(false).build();
        try (ElvesAgent squatter = ElvesAgent.start(template.toBuilder().bind("127.0.0.12").build())) {
            AgentSettings fixedPort = template.toBuilder().port(squatter.port()).build();
            assertThrows(java.io.IOException.class,
                    () -> AgentFleet.start(fixedPort, AgentFleet.expand("127.0.0.11-127.0.0.12")));
            // 127.0.0.11 was released again
            try (ElvesAgent again = ElvesAgent.start(fixedPort.toBuilder().bind("127.0.0.11").build())) {
                assertEquals(squatter.port(), again.port());
            }
        }
    }
}

package org.elves.agent.thrift;

import org.apache.thrift.TException;
import org.elves.agent.AgentClient;
import org.elves.agent.ElvesAgent;
import org.elves.agent.TestApps;
import org.elves.agent.config.AgentSettings;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent over real Thrift sockets on loopback addresses, as the center talks to it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentServerTest {
    private static final String HOST = "127.0.0.5";

    @TempDir
    Path apps;

    @TempDir
    Path state;

    private ElvesAgent agent;

    private ElvesAgent start(AgentSettings.Builder b) throws Exception {
        agent = ElvesAgent.start(b.appsDir(apps).stateDir(state).bind(HOST).port(0).heartbeatEnabled(false).build());
        return agent;
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void syncCallRunsTheWorkerAndForcesRealtimeMode() throws Exception {
        TestApps.shell(apps, "hello", "printf '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>hi %s</ElvesWResult>' \"$2\"\n");
        start(AgentSettings.builder());
        assertEquals(HOST, agent.ip());
        try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
            assertEquals("success", c.api.aliveCheck());
            Instruct ins = new Instruct("00000000000000A1", HOST, "queue", "P", "hello", "there", "{}", 5, "");
            Reinstruct r = c.api.instructionInvokeSync(ins);
            assertEquals(1, r.getFlag());
            assertEquals("hi there", r.getResult());
            assertEquals("rt", r.getIns().getType());
            assertEquals("NP", r.getIns().getMode());
            assertEquals("00000000000000A1", r.getIns().getId());
            assertTrue(r.getCosttime() >= 0);
            // the same connection carries more requests, as pooled center clients do
            for (int i = 0; i < 20; i++) {
                Reinstruct again = c.api.instructionInvokeSync(AgentClient.instruct("B" + i, "hello", "n" + i, ""));
                assertEquals("hi n" + i, again.getResult());
            }
            Reinstruct missing = c.api.instructionInvokeSync(AgentClient.instruct("C1", "ghost", "f", ""));
            assertEquals(-1, missing.getFlag());
            assertEquals("app [ghost] not install !", missing.getResult());
        }
    }

    @Test
    void aRepeatedTaskIdRunsTheWorkerOnlyOnce() throws Exception {
        Path runs = apps.resolve("runs.log");
        TestApps.shell(apps, "count", "echo run >> '" + runs + "'\n" + TestApps.tags("true", "counted"));
        start(AgentSettings.builder());
        try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
            Instruct ins = AgentClient.instruct("DUPDUPDUPDUP0001", "count", "f", "");
            Reinstruct first = c.api.instructionInvokeSync(ins);
            Reinstruct second = c.api.instructionInvokeSync(ins);
            assertEquals(first, second, "the remembered answer, not a second run");
            List<Reinstruct> acks = c.api.instructionInvokeAsync(List.of(ins));
            assertEquals(1, acks.get(0).getFlag());
        }
        Thread.sleep(200);
        assertEquals(List.of("run"), Files.readAllLines(runs));
    }

    @Test
    void aRepeatedIdWhileTheFirstStillRunsIsRefused() throws Exception {
        Path runs = apps.resolve("runs.log");
        TestApps.shell(apps, "slow", "echo run >> '" + runs + "'\nsleep 1\n" + TestApps.tags("true", "slow done"));
        start(AgentSettings.builder());
        Instruct ins = AgentClient.instruct("RUNNINGTASK00001", "slow", "f", "");
        CompletableFuture<Reinstruct> first = CompletableFuture.supplyAsync(() -> {
            try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
                return c.api.instructionInvokeSync(ins);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (!Files.exists(runs)) {
            Thread.sleep(10);
        }
        try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
            Reinstruct dup = c.api.instructionInvokeSync(ins);
            assertEquals(-1, dup.getFlag());
            assertEquals("task RUNNINGTASK00001 is already running", dup.getResult());
        }
        assertEquals("slow done", first.get(10, TimeUnit.SECONDS).getResult());
        assertEquals(List.of("run"), Files.readAllLines(runs));
    }

    @Test
    void callersOutsideAuthipsAreCutOffBeforeAnythingRuns() throws Exception {
        Path marker = apps.resolve("ran");
        TestApps.shell(apps, "mark", "touch '" + marker + "'\n" + TestApps.tags("true", ""));
        start(AgentSettings.builder());
        try (AgentClient stranger = AgentClient.connectFrom("127.0.0.9", HOST, agent.port())) {
            assertThrows(TException.class, () -> stranger.api.instructionInvokeSync(AgentClient.instruct("X1", "mark", "f", "")));
        }
        try (AgentClient stranger = AgentClient.connectFrom("127.0.0.9", HOST, agent.port())) {
            assertThrows(TException.class, () -> stranger.api.aliveCheck());
        }
        assertFalse(Files.exists(marker), "the worker must not have run");
        try (AgentClient local = AgentClient.connectFrom("127.0.0.1", HOST, agent.port())) {
            assertEquals("success", local.api.aliveCheck(), "127.0.0.1 is allowed by default");
        }
    }

    @Test
    void listedCallersAndEveryoneModeAreServed() throws Exception {
        start(AgentSettings.builder().authips(List.of("127.0.0.9")));
        try (AgentClient listed = AgentClient.connectFrom("127.0.0.9", HOST, agent.port())) {
            assertEquals("success", listed.api.aliveCheck());
        }
        try (AgentClient local = AgentClient.connectFrom("127.0.0.1", HOST, agent.port())) {
            assertThrows(TException.class, () -> local.api.aliveCheck());
        }
        agent.close();
        start(AgentSettings.builder().authips(List.of("*")));
        try (AgentClient anyone = AgentClient.connectFrom("127.0.0.9", HOST, agent.port())) {
            assertEquals("success", anyone.api.aliveCheck());
        }
    }

    @Test
    void framedTransportWhenConfigured() throws Exception {
        TestApps.shell(apps, "hello", TestApps.tags("true", "framed ok"));
        start(AgentSettings.builder().framed(true));
        try (AgentClient c = AgentClient.connectFramed(HOST, agent.port())) {
            assertEquals("framed ok", c.api.instructionInvokeSync(AgentClient.instruct("F1", "hello", "f", "")).getResult());
        }
    }

    @Test
    void closingTheAgentCutsOpenConnectionsAndFreesThePort() throws Exception {
        start(AgentSettings.builder());
        int port = agent.port();
        AgentClient idle = AgentClient.connect(HOST, port);
        assertEquals("success", idle.api.aliveCheck());
        agent.close();
        assertThrows(TException.class, () -> idle.api.aliveCheck());
        idle.close();
        agent = ElvesAgent.start(AgentSettings.builder().appsDir(apps).stateDir(state).bind(HOST).port(port).heartbeatEnabled(false).build());
        assertEquals(port, agent.port());
    }

    @Test
    void aTakenPortFailsWithTheAddressInTheMessage() throws Exception {
        start(AgentSettings.builder());
        Exception e = assertThrows(java.io.IOException.class, () -> ElvesAgent.start(
                AgentSettings.builder().appsDir(apps).stateDir(state).bind(HOST).port(agent.port()).heartbeatEnabled(false).build()));
        assertTrue(e.getMessage().contains(HOST + ":" + agent.port()), e.getMessage());
    }
}

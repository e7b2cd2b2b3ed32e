package org.elves.agent;

import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentCommandTest {
    @TempDir
    Path dir;

    private static AgentCommand parse(String... args) {
        AgentCommand cmd = new AgentCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void optionsOverrideTheConfigFile() throws Exception {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, "{\"ip\": \"10.0.0.1\", \"port\": 12000, \"heartbeat\": {\"interval\": 60}}");
        AgentSettings s = parse("--config", cfg.toString(), "--port", "12345", "--authips", "10.0.0.2,10.0.0.3",
                "--scheduler", "s1:1,s2:2", "--heartbeat", "hb:9", "--interval", "5", "--apps-dir", "/opt/apps").settings();
        assertEquals("10.0.0.1", s.ip());
        assertEquals(12345, s.port());
        assertEquals(List.of("10.0.0.2", "10.0.0.3"), s.authips());
        assertEquals(List.of(new Endpoint("s1", 1), new Endpoint("s2", 2)), s.schedulers());
        assertEquals(new Endpoint("hb", 9), s.heartbeat());
        assertEquals(5, s.heartbeatIntervalSeconds());
        assertEquals(Path.of("/opt/apps"), s.appsDir());
        assertTrue(s.heartbeatEnabled());
        assertFalse(parse("--no-heartbeat").settings().heartbeatEnabled());
        assertEquals(List.of(new Endpoint("hb1", 9), new Endpoint("hb2", 11102)),
                parse("--heartbeat", "hb1:9,hb2").settings().heartbeats());
    }

    @Test
    void startsAnAgentOrAFleetAndSaysWhere() throws Exception {
        AgentCommand single = new AgentCommand();
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(single);
        cl.setOut(new PrintWriter(out));
        cl.parseArgs("--bind", "127.0.0.13", "--port", "0", "--no-heartbeat", "--apps-dir", dir.toString(),
                "--state-dir", dir.resolve("state").toString());
        try (AutoCloseable running = single.startAgents()) {
            ElvesAgent agent = assertInstanceOf(ElvesAgent.class, running);
            try (AgentClient c = AgentClient.connect("127.0.0.13", agent.port())) {
                assertEquals("success", c.api.aliveCheck());
            }
            assertEquals("elves agent 127.0.0.13 listening on 127.0.0.13:" + agent.port(), out.toString().trim());
        }

        AgentCommand fleet = new AgentCommand();
        StringWriter fleetOut = new StringWriter();
        CommandLine fl = new CommandLine(fleet);
        fl.setOut(new PrintWriter(fleetOut));
        fl.parseArgs("--emulate", "127.0.0.14-127.0.0.15", "--port", "0", "--no-heartbeat", "--apps-dir", dir.toString(),
                "--state-dir", dir.resolve("state").toString());
        try (AutoCloseable running = fleet.startAgents()) {
            assertEquals(2, assertInstanceOf(AgentFleet.class, running).size());
            assertTrue(fleetOut.toString().startsWith("elves agent: 2 emulated agents 127.0.0.14 .. 127.0.0.15"));
        }
    }

    @Test
    void helpAndBadOptionsGoThroughPicocli() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new AgentCommand());
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("--port", "notanumber"));
        assertTrue(err.toString().contains("--port"), err.toString());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--help"));
        assertTrue(out.toString().contains("--emulate"));
    }
}

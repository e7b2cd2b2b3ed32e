package org.elves.agent;

import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real crash: the agent as its own JVM ({@code AgentMain}, as the {@code elves agent} launcher
 * runs it), SIGKILLed while its worker runs, started again on the same state dir. Its worker is
 * then nobody's child but init's; the second agent adopts it through /proc.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AgentProcessKillTest {
    private static final String HOST = "127.0.0.16";

    @TempDir
    Path dir;

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final List<Process> agents = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : agents) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code AgentMain} in a JVM of its own; returns once it listens. */
    private Process agent(int port, int schedulerPort, Path log) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "--bind", HOST, "--port", Integer.toString(port), "--apps-dir", dir.resolve("apps").toString(),
                "--state-dir", dir.resolve("state").toString(), "--no-heartbeat",
                "--scheduler", "127.0.0.1:" + schedulerPort);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        agents.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(log).contains("listening on")) {
            assertTrue(p.isAlive(), "agent exited:\n" + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "agent did not start:\n" + Files.readString(log));
            Thread.sleep(50);
        }
        return p;
    }

    @Test
    void aSigkilledAgentsWorkerRunsOnceAndTheRestartedAgentReportsItsResult() throws Exception {
        Path apps = Files.createDirectories(dir.resolve("apps"));
        Path runs = dir.resolve("runs");
        TestApps.shell(apps, "slow", "echo run >> '" + runs + "'\nsleep 2\n" + TestApps.tags("true", "survived the crash"));
        try (ThriftTestServer server = scheduler.serve()) {
            int port = ThriftTestServer.freePort();
            Process first = agent(port, server.port(), dir.resolve("first.log"));
            Instruct ins = new Instruct("SIGKILL000000001", HOST, "queue", "NP", "slow", "f", "", 30, "");
            try (AgentClient c = AgentClient.connect(HOST, port)) {
                assertEquals(1, c.api.instructionInvokeAsync(List.of(ins)).get(0).getFlag());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(runs)) {
                assertTrue(System.nanoTime() < deadline, "the worker did not start");
                Thread.sleep(20);
            }
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs

            Process second = agent(port, server.port(), dir.resolve("second.log"));
            try (AgentClient c = AgentClient.connect(HOST, port)) {
                // the center's re-send of the running id
                assertEquals(1, c.api.instructionInvokeAsync(List.of(ins)).get(0).getFlag());
            }
            Reinstruct r = scheduler.delivered.poll(30, TimeUnit.SECONDS);
            assertNotNull(r, "no result; second agent's log:\n" + Files.readString(dir.resolve("second.log")));
            assertEquals(ins.getId(), r.getIns().getId());
            assertEquals(1, r.getFlag(), r.getResult());
            assertEquals("survived the crash", r.getResult());
            assertEquals(1, Files.readAllLines(runs).size(), "the worker ran exactly once");
            assertNull(scheduler.delivered.poll(500, TimeUnit.MILLISECONDS), "reported once");
            assertTrue(Files.readString(dir.resolve("second.log")).contains("adopted"), "it was adopted, not rerun");
            assertTrue(second.isAlive());
        }
    }
}

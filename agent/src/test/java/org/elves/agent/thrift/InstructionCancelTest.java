package org.elves.agent.thrift;

import org.elves.agent.AgentClient;
import org.elves.agent.ElvesAgent;
import org.elves.agent.RecordingScheduler;
import org.elves.agent.TestApps;
import org.elves.agent.ThriftTestServer;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AgentService.instructionCancel over a real socket: the worker's tree dies, its result comes as usual. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InstructionCancelTest {
    private static final String HOST = "127.0.0.6";

    @TempDir
    Path apps;

    @TempDir
    Path state;

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private ElvesAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aRunningAsyncTaskIsKilledWithItsChildrenAndReportsCancelled() throws Exception {
        Path pids = apps.resolve("pids");
        // the worker and a child it waits for, both recorded once started
        TestApps.shell(apps, "long", "sleep 60 &\necho \"$$ $!\" > '" + pids + ".tmp'\nmv '" + pids + ".tmp' '" + pids + "'\nwait\n"
                + TestApps.tags("true", "not cancelled"));
        try (ThriftTestServer server = scheduler.serve()) {
            agent = ElvesAgent.start(RecordingScheduler.agentSettings(apps, state, HOST, server.endpoint()).build());
            Instruct ins = new Instruct("CANCEL0000000001", HOST, "queue", "NP", "long", "f", "", 90, "");
            try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
                assertEquals(1, c.api.instructionInvokeAsync(List.of(ins)).get(0).getFlag());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Files.exists(pids) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(Files.exists(pids), "the worker did not start");
                String[] started = Files.readString(pids).trim().split(" ");
                assertEquals(List.of(ins.getId()),
                        c.api.instructionCancel(List.of("UNKNOWN000000001", ins.getId(), "")),
                        "only the running id is reported killed");

                Reinstruct r = scheduler.awaitResult(10, "the cancelled task's result was not delivered");
                assertEquals(ins.getId(), r.getIns().getId());
                assertEquals(-1, r.getFlag());
                assertEquals("app exec cancelled", r.getResult());
                for (String pid : started) {
                    assertFalse(alive(Long.parseLong(pid)), "process " + pid + " of the worker's tree is still alive");
                }
                // finished now: cancelling it again finds nothing
                assertEquals(List.of(), c.api.instructionCancel(List.of(ins.getId())));
                assertEquals(0, c.api.instructionCancel(null).size());
            }
        }
    }

    /** Alive and not a zombie waiting for its (dead) parent to be reaped. */
    private static boolean alive(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(50);
            } else {
                return false;
            }
        }
        return true;
    }
}

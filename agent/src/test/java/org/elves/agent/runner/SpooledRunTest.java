package org.elves.agent.runner;

import org.elves.agent.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Workers whose output goes to spool files (async tasks): same answers as through pipes, bounded files. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpooledRunTest {
    private static final int CAP = 1 << 20;

    @TempDir
    Path apps;

    @TempDir
    Path spoolDir;

    private ExecutorService io;
    private AppRunner runner;

    @BeforeEach
    void setUp() {
        io = Executors.newCachedThreadPool();
        runner = new AppRunner("127.0.0.7", new InstalledApps(apps, Map.of()), "python3", CAP, io);
    }

    @AfterEach
    void tearDown() {
        runner.close();
        io.shutdownNow();
    }

    private WorkerOutcome spooled(WorkerCall call, String id, List<ProcessIdentity> started) {
        return runner.run(call, id, Spool.of(spoolDir, id), started::add);
    }

    @Test
    void theAnswerAndItsTruncationAreThoseOfAPipe() throws Exception {
        String body = "printf '<ElvesWFlag>true</ElvesWFlag> <ElvesWResult>'\nhead -c 5000000 /dev/zero | tr '\\0' x\n"
                + "printf '</ElvesWResult>'\necho 'a warning' >&2\n";
        TestApps.shell(apps, "big", body);
        List<ProcessIdentity> started = new ArrayList<>();
        WorkerOutcome spooled = spooled(WorkerCall.of("big", "f", "").withTimeout(30), "BIG0000000000001", started);
        WorkerOutcome piped = runner.run(WorkerCall.of("big", "f", "").withTimeout(30));
        assertEquals(piped.flag(), spooled.flag());
        assertEquals(piped.result(), spooled.result());
        assertTrue(spooled.result().endsWith("\n[elves: output truncated, kept 1048576 of 5000059 bytes]"),
                spooled.result().substring(spooled.result().length() - 80));
        assertEquals(1, started.size(), "the worker's identity is told once it runs");
        assertTrue(started.get(0).pid() > 0);
    }

    @Test
    void aFailureQuotesStderrFromItsSpoolFile() throws Exception {
        TestApps.shell(apps, "crash", "echo 'boom: disk on fire' >&2\nexit 3\n");
        assertEquals(WorkerOutcome.error("app exec error : exit code 3: boom: disk on fire", 0),
                zeroCost(spooled(WorkerCall.of("crash", "f", ""), "CRASH00000000001", new ArrayList<>())));
    }

    @Test
    void aRunawayWorkerIsKilledBeforeItsSpoolFillsTheDisk() throws Exception {
        Path pid = apps.resolve("pid");
        TestApps.shell(apps, "flood", "echo $$ > '" + pid + "'\nexec cat /dev/zero\n");
        String id = "FLOOD00000000001";
        WorkerOutcome out = spooled(WorkerCall.of("flood", "f", ""), id, new ArrayList<>());
        assertEquals(-1, out.flag());
        assertEquals(AppRunner.tooMuchOutput(16L * CAP), out.result());
        long written = Files.size(Spool.of(spoolDir, id).out());
        System.out.println("runaway worker killed after writing " + written + " bytes (limit " + 16L * CAP + ")");
        assertTrue(written > 16L * CAP, "it was measured, not guessed");
        long worker = Long.parseLong(Files.readString(pid).trim());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "the runaway worker still runs");
            Thread.sleep(20);
        }
    }

    @Test
    void theSpoolFilesArePrivateAndGoWhenDeleted() throws Exception {
        TestApps.shell(apps, "ok", TestApps.tags("true", "fine"));
        String id = "../OK@1";
        Spool spool = Spool.of(spoolDir.resolve("spool"), id);
        WorkerOutcome out = runner.run(WorkerCall.of("ok", "f", ""), id, spool, w -> { });
        assertEquals("fine", out.result());
        assertTrue(spool.exists());
        assertEquals(spoolDir.resolve("spool"), spool.out().getParent(), "an id cannot name a path elsewhere");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(spoolDir.resolve("spool"))));
        spool.delete();
        assertTrue(!spool.exists());
    }

    @Test
    void anAbandonedRunReturnsAtOnceAndLeavesItsWorkerRunning() throws Exception {
        TestApps.shell(apps, "long", "sleep 30\n");
        List<ProcessIdentity> started = new CopyOnWriteArrayList<>();
        Thread abandon = new Thread(() -> {
            try {
                while (started.isEmpty()) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                return;
            }
            runner.abandon();
        });
        abandon.start();
        WorkerOutcome out = runner.run(WorkerCall.of("long", "f", ""), "LONG000000000001",
                Spool.of(spoolDir, "LONG000000000001"), started::add);
        abandon.join();
        assertEquals(AppRunner.ABANDONED, out.result());
        ProcessIdentity worker = started.get(0);
        assertTrue(worker.alive(), "left running for the next agent");
        worker.kill();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (worker.alive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(!worker.alive());
        assertNotNull(ProcessIdentity.bootId());
    }

    private static WorkerOutcome zeroCost(WorkerOutcome o) {
        return new WorkerOutcome(o.flag(), 0, o.result());
    }
}

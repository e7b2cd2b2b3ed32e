package org.elves.agent.runner;

import org.elves.agent.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real worker processes (sh, python3) through the runner, no Thrift involved. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AppRunnerTest {
    @TempDir
    Path apps;

    private ExecutorService io;
    private AppRunner runner;

    @BeforeEach
    void setUp() {
        io = Executors.newCachedThreadPool();
        runner = new AppRunner("127.0.0.7", new InstalledApps(apps, Map.of()), "python3", 1 << 20, io);
    }

    @AfterEach
    void tearDown() {
        runner.close();
        io.shutdownNow();
    }

    @Test
    void trueFlagGivesOneAndTheResultText() throws Exception {
        TestApps.shell(apps, "ok", TestApps.tags("true", "done"));
        WorkerOutcome out = runner.run(WorkerCall.of("ok", "f", "{}"));
        assertEquals(new WorkerOutcome(1, 0, "done"), zeroCost(out));
    }

    /**
     * A worker silent until its last line, whose reader reads that line only after the exit was
     * seen (forty workers ending at once on two cores): its output is waited for, not given up as
     * a pipe held open by an orphan, though the reader got nothing for longer than the stall limit.
     */
    @Test
    void theLastLineOfAQuietWorkerIsWaitedForWhenItsReaderIsBehind() throws Exception {
        java.io.PipedOutputStream worker = new java.io.PipedOutputStream();
        java.io.PipedInputStream pipe = new java.io.PipedInputStream(worker);
        CappedOutput output = new CappedOutput(1024);
        java.util.concurrent.Future<?> reader = io.submit(() -> output.drain(pipe));
        Thread.sleep(1_500); // quiet for longer than the stall limit (1 s)
        io.submit(() -> {
            Thread.sleep(300); // the reader gets the last line after the exit was seen
            worker.write("<ElvesWFlag>true</ElvesWFlag><ElvesWResult>late line</ElvesWResult>".getBytes(UTF_8));
            worker.close();
            return null;
        });
        assertTrue(AppRunner.drained(reader, output));
        assertTrue(output.captured().text().contains("late line"), output.captured().text());
    }

    @Test
    void anyOtherFlagGivesZero() throws Exception {
        TestApps.shell(apps, "no", TestApps.tags("false", "it failed") );
        WorkerOutcome out = runner.run(WorkerCall.of("no", "f", ""));
        assertEquals(0, out.flag());
        assertEquals("it failed", out.result());
        TestApps.shell(apps, "upper", TestApps.tags("TRUE", "x"));
        assertEquals(0, runner.run(WorkerCall.of("upper", "f", "")).flag(), "only the exact text true counts");
    }

    @Test
    void workerGetsAppFuncAndBase64OfTheParamTextAsReceived() throws Exception {
        TestApps.shell(apps, "args", "printf '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>%s|%s|%s|%s|%s</ElvesWResult>' "
                + "\"$#\" \"$1\" \"$2\" \"$3\" \"$ELVES_AGENT_IP\"\n");
        String param = "{not json at all: ü";
        WorkerOutcome out = runner.run(WorkerCall.of("args", "go", param));
        String b64 = Base64.getEncoder().encodeToString(param.getBytes(UTF_8));
        assertEquals("3|args|go|" + b64 + "|127.0.0.7", out.result());

        WorkerOutcome none = runner.run(WorkerCall.of("args", "go", null));
        assertEquals("3|args|go||127.0.0.7", none.result(), "no param still passes an empty third argument");
    }

    @Test
    void outputAroundTheTagsIsIgnoredAndTextIsUtf8() throws Exception {
        TestApps.shell(apps, "noisy", "echo starting\n" + TestApps.tags("true", "héllo ✓ 中文\nline 2") + "echo bye\n");
        WorkerOutcome out = runner.run(WorkerCall.of("noisy", "f", ""));
        assertEquals(1, out.flag());
        assertEquals("héllo ✓ 中文\nline 2", out.result());
    }

    @Test
    void theBooksLowerCaseClosingFlagTagIsAccepted() throws Exception {
        TestApps.shell(apps, "typo", "printf '<ElvesWFlag>true</ElvesWflag> <ElvesWResult>r</ElvesWResult>'\n");
        assertEquals(new WorkerOutcome(1, 0, "r"), zeroCost(runner.run(WorkerCall.of("typo", "f", ""))));
    }

    @Test
    void missingFlagTagIsAnOutputFlagError() throws Exception {
        TestApps.shell(apps, "noflag", "echo just talking\n");
        WorkerOutcome out = runner.run(WorkerCall.of("noflag", "f", ""));
        assertEquals(-1, out.flag());
        assertEquals("app output flag error : just talking", out.result());
    }

    @Test
    void flagWithoutResultTagIsAnOutputResultError() throws Exception {
        TestApps.shell(apps, "noresult", "printf '<ElvesWFlag>true</ElvesWFlag> nothing else'\n");
        WorkerOutcome out = runner.run(WorkerCall.of("noresult", "f", ""));
        assertEquals(-1, out.flag());
        assertEquals("app output result error : <ElvesWFlag>true</ElvesWFlag> nothing else", out.result());
    }

    @Test
    void nonZeroExitWithoutTagsIsAnExecErrorQuotingStderr() throws Exception {
        TestApps.shell(apps, "crash", "echo 'boom: disk on fire' >&2\nexit 3\n");
        WorkerOutcome out = runner.run(WorkerCall.of("crash", "f", ""));
        assertEquals(-1, out.flag());
        assertEquals("app exec error : exit code 3: boom: disk on fire", out.result());
    }

    @Test
    void nonZeroExitWithTagsStillCountsTheTags() throws Exception {
        TestApps.shell(apps, "exit1", TestApps.tags("false", "bad input") + "exit 1\n");
        assertEquals(new WorkerOutcome(0, 0, "bad input"), zeroCost(runner.run(WorkerCall.of("exit1", "f", ""))));
    }

    @Test
    void unknownOrUnsafeAppNamesAreNotInstalled() throws Exception {
        TestApps.shell(apps, "real", TestApps.tags("true", ""));
        Files.createDirectories(apps.resolve("empty"));
        for (String app : new String[]{"nope", "empty", "../real", "real/..", "..", ".", "", "a/b"}) {
            WorkerOutcome out = runner.run(WorkerCall.of(app, "f", ""));
            assertEquals(-1, out.flag(), app);
            assertEquals("app [" + app + "] not install !", out.result(), app);
        }
    }

    @Test
    void entryResolutionPrefersPythonThenShellThenExecutable() throws Exception {
        TestApps.file(apps, "both", "app-worker.py",
                "import sys\nsys.stdout.write('<ElvesWFlag>true</ElvesWFlag><ElvesWResult>py ' + sys.argv[2] + '</ElvesWResult>')\n", false);
        TestApps.shell(apps, "both", TestApps.tags("true", "sh"));
        assertEquals("py f", runner.run(WorkerCall.of("both", "f", "")).result());

        TestApps.file(apps, "bin", "app-worker", "#!/bin/sh\n" + TestApps.tags("true", "binary"), true);
        assertEquals("binary", runner.run(WorkerCall.of("bin", "f", "")).result());

        TestApps.file(apps, "notexec", "app-worker", "#!/bin/sh\n" + TestApps.tags("true", "x"), false);
        assertEquals("app [notexec] not install !", runner.run(WorkerCall.of("notexec", "f", "")).result());
    }

    @Test
    void thePythonSettingMayCarryInterpreterOptions() throws Exception {
        TestApps.file(apps, "flags", "app-worker.py",
                "import sys\nsys.stdout.write('<ElvesWFlag>true</ElvesWFlag><ElvesWResult>%d</ElvesWResult>' % sys.flags.no_site)\n", false);
        AppRunner noSite = new AppRunner("127.0.0.7", new InstalledApps(apps, Map.of()), " python3  -S ", 1 << 20, io);
        assertEquals("1", noSite.run(WorkerCall.of("flags", "f", "")).result());
        assertEquals("0", runner.run(WorkerCall.of("flags", "f", "")).result());
    }

    @Test
    void proxyWithInterpreterAndProxyFileAlone() throws Exception {
        TestApps.file(apps, "px", "custom.sh", TestApps.tags("true", "custom $1 $2"), false);
        assertEquals("custom $1 $2", runner.run(WorkerCall.of("px", "f", "").withProxy("sh|custom.sh")).result(),
                "printf's single-quoted format is literal, proving sh ran the file");
        TestApps.file(apps, "px", "runme", "#!/bin/sh\nprintf '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>%s %s</ElvesWResult>' \"$1\" \"$2\"\n", true);
        assertEquals("px go", runner.run(WorkerCall.of("px", "go", "").withProxy("runme")).result());
        TestApps.file(apps, "px", "w.py", "import sys\nprint('<ElvesWFlag>true</ElvesWFlag><ElvesWResult>' + sys.argv[1] + '</ElvesWResult>')\n", false);
        assertEquals("px", runner.run(WorkerCall.of("px", "f", "").withProxy("python3|w.py")).result());
    }

    @Test
    void proxyFilesOutsideTheAppDirAreRefused() throws Exception {
        TestApps.shell(apps, "victim", TestApps.tags("true", ""));
        TestApps.shell(apps, "other", TestApps.tags("true", "escaped"));
        for (String proxy : new String[]{"sh|../other/app-worker.sh", "/bin/sh", "../other/app-worker.sh", "sh|..", "sh|"}) {
            WorkerOutcome out = runner.run(WorkerCall.of("victim", "f", "").withProxy(proxy));
            assertEquals(-1, out.flag(), proxy);
            assertTrue(out.result().startsWith("app exec error : proxy file ["), proxy + " -> " + out.result());
        }
        WorkerOutcome missing = runner.run(WorkerCall.of("victim", "f", "").withProxy("sh|absent.sh"));
        assertEquals("app exec error : proxy file [absent.sh] not found in app [victim]", missing.result());
        WorkerOutcome noInterp = runner.run(WorkerCall.of("victim", "f", "").withProxy("|app-worker.sh"));
        assertTrue(noInterp.result().contains("names no interpreter"), noInterp.result());
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        Path pids = apps.resolve("pids");
        TestApps.shell(apps, "hang", "sleep 30 &\necho \"$$ $!\" > '" + pids + "'\nwait\n");
        long start = System.nanoTime();
        WorkerOutcome out = runner.run(WorkerCall.of("hang", "f", "").withTimeout(1));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(-1, out.flag());
        assertEquals("app exec timeout", out.result());
        assertTrue(out.costMillis() >= 1000 && tookMillis < 5000, "cost " + out.costMillis() + " took " + tookMillis);
        String[] ids = Files.readString(pids).trim().split(" ");
        long worker = Long.parseLong(ids[0]);
        long grandchild = Long.parseLong(ids[1]);
        assertGone(worker);
        assertGone(grandchild);
    }

    @Test
    void zeroTimeoutMeansNoLimit() throws Exception {
        TestApps.shell(apps, "slow", "sleep 1.2\n" + TestApps.tags("true", "patient"));
        WorkerOutcome out = runner.run(WorkerCall.of("slow", "f", "").withTimeout(0));
        assertEquals("patient", out.result());
        assertTrue(out.costMillis() >= 1200, "cost " + out.costMillis());
    }

    @Test
    void hugeOutputIsCappedAndMarkedWithoutBlockingTheChild() throws Exception {
        TestApps.shell(apps, "flood", "printf '<ElvesWFlag>true</ElvesWFlag> <ElvesWResult>'\n"
                + "head -c 50000000 /dev/zero | tr '\\0' x\nprintf '</ElvesWResult>'\n");
        WorkerOutcome out = runner.run(WorkerCall.of("flood", "f", "").withTimeout(30));
        assertEquals(1, out.flag(), "flag tag came before the cap");
        String prefix = "<ElvesWFlag>true</ElvesWFlag> <ElvesWResult>";
        long total = prefix.length() + 50_000_000L + "</ElvesWResult>".length();
        String mark = "\n[elves: output truncated, kept 1048576 of " + total + " bytes]";
        assertTrue(out.result().endsWith(mark), out.result().substring(out.result().length() - 80));
        assertEquals((1 << 20) - prefix.length(), out.result().length() - mark.length());
        assertTrue(out.result().startsWith("xxxx"));
    }

    @Test
    void hugeOutputWithoutTagsIsAFlagErrorWithAShortHead() throws Exception {
        TestApps.shell(apps, "junk", "head -c 5000000 /dev/zero | tr '\\0' y\n");
        WorkerOutcome out = runner.run(WorkerCall.of("junk", "f", ""));
        assertEquals(-1, out.flag());
        assertTrue(out.result().startsWith("app output flag error : yyyy"));
        assertTrue(out.result().length() < 700, "error quotes only the head: " + out.result().length());
        assertTrue(out.result().endsWith("kept 1048576 of 5000000 bytes]"));
    }

    @Test
    void oversizedParamIsRefusedBeforeStarting() throws Exception {
        TestApps.shell(apps, "big", TestApps.tags("true", ""));
        WorkerOutcome out = runner.run(WorkerCall.of("big", "f", "x".repeat(200_000)));
        assertEquals(-1, out.flag());
        assertTrue(out.result().startsWith("app exec error : param too large"), out.result());
    }

    @Test
    void exitedWorkerWhoseOrphanHoldsStdoutDoesNotHangTheCall() throws Exception {
        Path pid = apps.resolve("orphan");
        TestApps.shell(apps, "daemon", "sleep 20 &\necho $! > '" + pid + "'\n" + TestApps.tags("true", "left one running"));
        long start = System.nanoTime();
        WorkerOutcome out = runner.run(WorkerCall.of("daemon", "f", ""));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000);
        assertEquals(new WorkerOutcome(1, 0, "left one running"), zeroCost(out));
        ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void closeKillsRunningWorkers() throws Exception {
        Path pid = apps.resolve("pid");
        TestApps.shell(apps, "long", "echo $$ > '" + pid + "'\nsleep 30\n");
        CompletableFuture<WorkerOutcome> call = CompletableFuture.supplyAsync(() -> runner.run(WorkerCall.of("long", "f", "")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (runner.runningCount() == 0 || !Files.exists(pid) || Files.readString(pid).isBlank()) {
            assertTrue(System.nanoTime() < deadline, "worker did not start");
            Thread.sleep(10);
        }
        runner.close();
        WorkerOutcome out = call.get(5, TimeUnit.SECONDS);
        assertEquals(-1, out.flag());
        assertTrue(out.result().startsWith("app exec error : exit code 137"), out.result());
        assertGone(Long.parseLong(Files.readString(pid).trim()));
        assertEquals("app exec error : agent is shutting down", runner.run(WorkerCall.of("long", "f", "")).result());
    }

    @Test
    void costIsWallTimeAroundTheProcess() throws Exception {
        TestApps.shell(apps, "nap", "sleep 0.3\n" + TestApps.tags("true", ""));
        int cost = runner.run(WorkerCall.of("nap", "f", "")).costMillis();
        assertTrue(cost >= 300 && cost < 3000, "cost " + cost);
    }

    private static WorkerOutcome zeroCost(WorkerOutcome o) {
        return new WorkerOutcome(o.flag(), 0, o.result());
    }

    private static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "process " + pid + " still alive");
            Thread.sleep(20);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
}

package org.elves.agent;

import org.elves.agent.config.Endpoint;
import org.elves.agent.runner.ProcessIdentity;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.elves.agent.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run per task id across agent restarts, and results that outlive the agent and the
 * scheduler's absence: real agents on one state dir, real worker processes, a real scheduler.
 * The first agent of a test stops with {@link ElvesAgent#closeLeavingWorkers()}, which stands for
 * its death: from then on it writes and sends nothing, and its workers run on (a SIGKILLed agent
 * process: {@link AgentProcessKillTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentRestartTest {
    private static final String HOST = "127.0.0.14";

    @TempDir
    Path apps;

    @TempDir
    Path state;

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final OpenResources open = new OpenResources();

    @AfterEach
    void stop() throws Exception {
        open.close();
    }

    private ElvesAgent start(Endpoint schedulerAt) throws Exception {
        return open.add(ElvesAgent.start(RecordingScheduler.agentSettings(apps, state, HOST, schedulerAt).build()));
    }

    private ThriftTestServer scheduler(int port) throws Exception {
        return open.add(scheduler.serve(port));
    }

    private static Instruct async(String id, String app, int timeout) {
        return new Instruct(id, HOST, "queue", "NP", app, "f", "{\"secret\":\"s3\"}", timeout, "");
    }

    private static void send(ElvesAgent agent, Instruct ins) throws Exception {
        try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
            assertEquals(new Reinstruct(ins, 1, 0, ""), c.api.instructionInvokeAsync(List.of(ins)).get(0));
        }
    }

    private Reinstruct next() throws InterruptedException {
        return scheduler.awaitResult(20, "no result reached the scheduler");
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    @Test
    void aTaskRunningWhenTheAgentDiedRunsOnceAndItsWorkerIsAdoptedAndReported() throws Exception {
        Path runs = apps.resolve("runs");
        TestApps.shell(apps, "slow", "echo run >> '" + runs + "'\nsleep 2\necho 'some noise'\n"
                + TestApps.tags("true", "slept well"));
        ThriftTestServer server = scheduler(0);
        ElvesAgent first = start(server.endpoint());
        Instruct ins = async("ADOPT00000000001", "slow", 30);
        send(first, ins);
        await("the worker started", () -> lines(runs) == 1);
        first.closeLeavingWorkers();

        ElvesAgent second = start(server.endpoint());
        assertEquals(1, second.adoptedWorkers(), "the worker that outlived the agent is adopted");
        send(second, ins); // the center's Queue re-sends a running task's id every 10 s
        Reinstruct r = next();
        assertEquals(ins, r.getIns(), "the result carries the instruct: the center routes it by type/mode/app");
        assertEquals(1, r.getFlag());
        assertEquals("slept well", r.getResult());
        assertTrue(r.getCosttime() >= 2000, "cost counts from the original start: " + r.getCosttime());
        assertEquals(1, lines(runs), "the worker ran exactly once");

        send(second, ins); // finished now: answered again, not run again
        assertEquals("slept well", next().getResult());
        assertEquals(1, lines(runs));
        await("the spool files are gone once the result is journaled", () -> spoolFiles() == 0);
    }

    @Test
    void aWorkerThatDiedWhileTheAgentWasDownIsReportedAsLostWithItsPid() throws Exception {
        Path pids = apps.resolve("pids");
        TestApps.shell(apps, "long", "sleep 30 &\necho \"$$ $!\" > '" + pids + ".tmp'\nmv '" + pids + ".tmp' '" + pids
                + "'\nwait\n" + TestApps.tags("true", "never"));
        ThriftTestServer server = scheduler(0);
        ElvesAgent first = start(server.endpoint());
        Instruct ins = async("LOST000000000001", "long", 60);
        send(first, ins);
        await("the worker started", () -> Files.exists(pids));
        first.closeLeavingWorkers();
        String[] started = Files.readString(pids).trim().split(" ");
        for (String pid : started) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
        await("the worker is dead", () -> gone(Long.parseLong(started[0])) && gone(Long.parseLong(started[1])));

        ElvesAgent second = start(server.endpoint());
        assertEquals(0, second.adoptedWorkers());
        Reinstruct r = next();
        assertEquals(ins.getId(), r.getIns().getId());
        assertEquals(-1, r.getFlag());
        assertEquals("[410.3]Agent Lost While Running: the agent restarted while the task ran; the worker (pid "
                + started[0] + ") ended without a result", r.getResult());
        send(second, ins);
        assertEquals(r.getResult(), next().getResult(), "a re-send gets the same answer");
    }

    @Test
    void aWorkerThatFinishedWhileTheAgentWasDownReportsItsRealResult() throws Exception {
        Path gate = apps.resolve("gate");
        Path started = apps.resolve("started");
        // runs until the test lets it finish, which it does while no agent runs
        TestApps.shell(apps, "gated", "touch '" + started + "'\nwhile [ ! -e '" + gate + "' ]; do sleep 0.05; done\n"
                + TestApps.tags("false", "finished alone"));
        ThriftTestServer server = scheduler(0);
        ElvesAgent first = start(server.endpoint());
        Instruct ins = async("ALONE00000000001", "gated", 60);
        send(first, ins);
        await("the worker started", () -> Files.exists(started));
        first.closeLeavingWorkers();
        Files.createFile(gate);
        await("the worker finished", () -> spoolText().contains("finished alone"));
        Thread.sleep(200); // let it exit after its last printf

        start(server.endpoint());
        Reinstruct r = next();
        assertEquals(0, r.getFlag(), "the tags decide: the exit code went to whoever reaped the worker");
        assertEquals("finished alone", r.getResult());
    }

    @Test
    void anAdoptedWorkerKeepsItsDeadlineAndCanBeCancelled() throws Exception {
        Path pids = apps.resolve("pids");
        TestApps.shell(apps, "hang", "sleep 60 &\necho \"$$ $!\" >> '" + pids + "'\nwait\n" + TestApps.tags("true", "x"));
        ThriftTestServer server = scheduler(0);
        ElvesAgent first = start(server.endpoint());
        Instruct timed = async("DEADLINE00000001", "hang", 3);
        Instruct cancelled = async("CANCEL0000000002", "hang", 60);
        send(first, timed);
        send(first, cancelled);
        await("both workers started", () -> lines(pids) == 2);
        first.closeLeavingWorkers();

        ElvesAgent second = start(server.endpoint());
        assertEquals(2, second.adoptedWorkers());
        try (AgentClient c = AgentClient.connect(HOST, second.port())) {
            assertEquals(List.of(cancelled.getId()), c.api.instructionCancel(List.of(cancelled.getId())));
        }
        List<Reinstruct> results = List.of(next(), next());
        Reinstruct cancel = results.stream().filter(r -> r.getIns().getId().equals(cancelled.getId())).findFirst().orElseThrow();
        Reinstruct timeout = results.stream().filter(r -> r.getIns().getId().equals(timed.getId())).findFirst().orElseThrow();
        assertEquals("app exec cancelled", cancel.getResult());
        assertEquals("app exec timeout", timeout.getResult());
        assertEquals(-1, timeout.getFlag());
        for (String line : Files.readAllLines(pids)) {
            for (String pid : line.split(" ")) {
                await("process " + pid + " of an adopted tree killed", () -> gone(Long.parseLong(pid)));
            }
        }
    }

    @Test
    void aRealtimeWorkerLeftByADeadAgentIsKilledAndItsIdAnswersAnError() throws Exception {
        Path pid = apps.resolve("pid");
        Path runs = apps.resolve("runs");
        TestApps.shell(apps, "rtlong", "echo run >> '" + runs + "'\necho $$ > '" + pid + ".tmp'\nmv '" + pid + ".tmp' '"
                + pid + "'\nsleep 60\n");
        ThriftTestServer server = scheduler(0);
        ElvesAgent first = start(server.endpoint());
        Instruct ins = new Instruct("RTLOST0000000001", HOST, "rt", "NP", "rtlong", "f", "", 0, "");
        Thread caller = new Thread(() -> {
            try (AgentClient c = AgentClient.connect(HOST, first.port())) {
                c.api.instructionInvokeSync(ins);
            } catch (Exception expected) {
                // the agent dies under the call
            }
        });
        caller.start();
        await("the realtime worker started", () -> Files.exists(pid));
        first.closeLeavingWorkers();
        caller.join(10_000);
        long worker = Long.parseLong(Files.readString(pid).trim());
        assertFalse(gone(worker), "a dead agent leaves its workers running");

        ElvesAgent second = start(server.endpoint());
        await("the orphaned realtime worker is killed", () -> gone(worker));
        try (AgentClient c = AgentClient.connect(HOST, second.port())) {
            Reinstruct again = c.api.instructionInvokeSync(ins);
            assertEquals(-1, again.getFlag());
            assertTrue(again.getResult().startsWith("[410.3]Agent Lost While Running: the agent restarted while the"
                    + " realtime task ran"), again.getResult());
        }
        assertEquals(1, lines(runs), "never run twice");
        assertNull(scheduler.delivered.poll(300, TimeUnit.MILLISECONDS), "realtime results never go to the scheduler");
    }

    @Test
    void resultsWaitWhileTheSchedulerIsUnreachableAlsoAcrossARestart() throws Exception {
        TestApps.shell(apps, "quick", TestApps.tags("true", "kept for later"));
        int port = ThriftTestServer.freePort();
        Endpoint down = new Endpoint("127.0.0.1", port);
        ElvesAgent first = start(down);
        Instruct a = async("KEPT000000000001", "quick", 0);
        Instruct b = async("KEPT000000000002", "quick", 0);
        send(first, a);
        await("the first result is in the outbox", () -> first.pendingResults() == 1);
        send(first, b);
        await("both results are in the outbox", () -> first.pendingResults() == 2);
        first.close();

        ElvesAgent second = start(down);
        assertEquals(2, second.pendingResults(), "a restart keeps them");
        scheduler(port);
        Reinstruct r1 = next();
        Reinstruct r2 = next();
        assertEquals(List.of(a.getId(), b.getId()), List.of(r1.getIns().getId(), r2.getIns().getId()), "oldest first");
        assertEquals("kept for later", r1.getResult());
        assertEquals("queue", r1.getIns().getType());
        await("the outbox is empty", () -> second.pendingResults() == 0);
    }

    @Test
    void aFinishedIdResentAfterARestartGetsTheFirstResultWithoutASecondRun() throws Exception {
        Path runs = apps.resolve("runs");
        TestApps.shell(apps, "once", "echo x >> '" + runs + "'\n" + TestApps.tags("true", "first and only"));
        ThriftTestServer server = scheduler(0);
        ElvesAgent first = start(server.endpoint());
        Instruct async = async("FIRST00000000001", "once", 0);
        Instruct rt = new Instruct("FIRST00000000002", HOST, "rt", "NP", "once", "f", "", 0, "");
        send(first, async);
        assertEquals("first and only", next().getResult());
        Reinstruct rtAnswer;
        try (AgentClient c = AgentClient.connect(HOST, first.port())) {
            rtAnswer = c.api.instructionInvokeSync(rt);
        }
        assertEquals("first and only", rtAnswer.getResult());
        first.close();

        ElvesAgent second = start(server.endpoint());
        send(second, async);
        Reinstruct again = next();
        assertEquals("first and only", again.getResult());
        assertEquals(1, again.getFlag());
        try (AgentClient c = AgentClient.connect(HOST, second.port())) {
            assertEquals(rtAnswer, c.api.instructionInvokeSync(rt), "a realtime id is remembered too");
        }
        assertEquals(2, lines(runs), "each id ran once");
    }

    @Test
    void theStateDirAndTheJournalArePrivate() throws Exception {
        TestApps.shell(apps, "quick", TestApps.tags("true", "r"));
        ThriftTestServer server = scheduler(0);
        ElvesAgent agent = start(server.endpoint());
        send(agent, async("PRIVATE000000001", "quick", 0));
        next();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        Path journal = state.resolve("tasks.journal");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal)));
        assertTrue(Files.readString(journal).contains("s3"),
                "the instruct, param included, is journaled (a result is routed by it): hence private");
    }

    @Test
    void aLivePidWhoseStartTimeDiffersIsNotTakenForTheWorker() throws Exception {
        // a journal saying task REUSED ran as pid N: N is alive now, but as another process
        Process stranger = new ProcessBuilder("sleep", "30").start();
        open.add(stranger::destroyForcibly);
        ProcessIdentity real = ProcessIdentity.of(stranger.pid());
        assertNotNull(real);
        Files.createDirectories(state);
        Files.writeString(state.resolve("tasks.journal"), String.join("\n",
                "{\"e\":\"claim\",\"id\":\"REUSED0000000001\",\"at\":" + System.currentTimeMillis()
                        + ",\"rt\":false,\"boot\":\"" + ProcessIdentity.bootId() + "\",\"ins\":{\"id\":\"REUSED0000000001\","
                        + "\"ip\":\"" + HOST + "\",\"type\":\"queue\",\"mode\":\"NP\",\"app\":\"gone\",\"func\":\"f\","
                        + "\"param\":\"\",\"timeout\":0,\"proxy\":\"\"}}",
                "{\"e\":\"pid\",\"id\":\"REUSED0000000001\",\"pid\":" + real.pid() + ",\"ticks\":"
                        + (real.startTicks() + 1) + "}", ""));
        ThriftTestServer server = scheduler(0);

        ElvesAgent agent = start(server.endpoint());
        assertEquals(0, agent.adoptedWorkers(), "same pid, another start time: not our worker");
        Reinstruct r = next();
        assertEquals("REUSED0000000001", r.getIns().getId());
        assertEquals("queue", r.getIns().getType(), "the instruct comes back from the journal");
        assertEquals("[410.3]Agent Lost While Running: the agent restarted while the task ran; the worker (pid "
                + real.pid() + ") ended without a result", r.getResult());
        assertTrue(stranger.isAlive(), "the stranger with the reused pid is left alone");
    }

    @Test
    void aWorkerWhosePidTheAgentDidNotNoteIsFoundByItsSpoolFile() throws Exception {
        // the agent died after starting the worker, before journaling its pid: only the claim is there
        Path gate = apps.resolve("gate");
        Path dir = TestApps.shell(apps, "unnoted", "while [ ! -e '" + gate + "' ]; do sleep 0.05; done\n"
                + TestApps.tags("true", "found by its spool"));
        String id = "UNNOTED000000001";
        Files.createDirectories(state.resolve("spool"));
        Process worker = new ProcessBuilder("sh", dir.resolve("app-worker.sh").toString())
                .redirectOutput(state.resolve("spool").resolve(id + ".out").toFile())
                .redirectError(state.resolve("spool").resolve(id + ".err").toFile()).start();
        open.add(worker::destroyForcibly);
        Files.writeString(state.resolve("tasks.journal"), "{\"e\":\"claim\",\"id\":\"" + id + "\",\"at\":"
                + System.currentTimeMillis() + ",\"rt\":false,\"boot\":\"" + ProcessIdentity.bootId() + "\",\"ins\":"
                + "{\"id\":\"" + id + "\",\"ip\":\"" + HOST + "\",\"type\":\"cron\",\"mode\":\"NP\",\"app\":\"unnoted\","
                + "\"func\":\"f\",\"param\":\"\",\"timeout\":0,\"proxy\":\"\"}}\n");
        ThriftTestServer server = scheduler(0);

        ElvesAgent agent = start(server.endpoint());
        assertEquals(1, agent.adoptedWorkers(), "adopted: the process writing to the task's spool file");
        Files.createFile(gate);
        Reinstruct r = next();
        assertEquals(id, r.getIns().getId());
        assertEquals("found by its spool", r.getResult());
    }

    private long spoolFiles() {
        try (var files = Files.list(state.resolve("spool"))) {
            return files.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private String spoolText() {
        try (var files = Files.list(state.resolve("spool"))) {
            StringBuilder b = new StringBuilder();
            for (Path f : (Iterable<Path>) files::iterator) {
                b.append(Files.readString(f));
            }
            return b.toString();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}

package org.elves.agent.output;

import org.apache.thrift.ProcessFunction;
import org.apache.thrift.TBase;
import org.apache.thrift.TBaseProcessor;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;
import org.elves.agent.AgentClient;
import org.elves.agent.ElvesAgent;
import org.elves.agent.RecordingScheduler;
import org.elves.agent.TestApps;
import org.elves.agent.ThriftTestServer;
import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.Endpoint;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.OutputChunk;
import org.elves.protocol.thrift.Reinstruct;
import org.elves.protocol.thrift.SchedulerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The output of running workers, streamed by a real agent to a real SchedulerService while they run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveOutputTest {
    private static final String HOST = "127.0.0.31";
    /** Prints a line, sleeps a second, prints another (to stderr) and its answer. */
    private static final String TALKER = "echo first\nsleep 1\necho second >&2\n" + TestApps.tags("true", "done");

    @TempDir
    Path apps;

    @TempDir
    Path state;

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final ExecutorService caller = Executors.newSingleThreadExecutor();
    private ElvesAgent agent;

    @AfterEach
    void stop() {
        caller.shutdownNow();
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aRealtimeWorkersFirstLineArrivesWhileItStillRuns() throws Exception {
        TestApps.shell(apps, "talk", TALKER);
        try (ThriftTestServer server = scheduler.serve()) {
            startAgent(server.endpoint(), b -> b);
            Future<Reinstruct> call = caller.submit(() -> callSync("A100000000000001", "talk", ""));

            OutputChunk first = awaitChunk();
            assertTrue(first.getData().contains("first"), first.getData());
            assertFalse(call.isDone(), "the first line came while the worker ran");

            Reinstruct reins = call.get(10, TimeUnit.SECONDS);
            assertEquals(1, reins.getFlag());
            assertWorkerTimes(reins);
            assertTrue(first.getAt() < reins.getEndTime(), "read before the worker ended");
            // the last chunks follow the answer (it does not wait for them), each stream in its own round
            List<OutputChunk> all = chunksUntil(new ArrayList<>(List.of(first)), "stderr", "second");
            chunksUntil(all, "stdout", "</ElvesWFlag>");
            assertIncreasingSeq(all);
            assertTrue(text(all, "stderr").contains("second"), all.toString());
            assertTrue(text(all, "stdout").contains("<ElvesWFlag>true</ElvesWFlag>"), all.toString());
            all.forEach(c -> assertEquals("A100000000000001", c.getId()));
        }
    }

    @Test
    void anAsyncWorkersOutputIsFollowedInItsSpool() throws Exception {
        TestApps.shell(apps, "talk", TALKER);
        try (ThriftTestServer server = scheduler.serve()) {
            startAgent(server.endpoint(), b -> b);
            Instruct ins = new Instruct("A200000000000002", HOST, "queue", "NP", "talk", "f", "", 10, "");
            try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
                c.api.instructionInvokeAsync(List.of(ins));
            }
            OutputChunk first = awaitChunk();
            assertTrue(first.getData().contains("first"), first.getData());
            assertTrue(scheduler.delivered.isEmpty(), "the first line came before the result");

            Reinstruct reins = scheduler.awaitResult(10);
            assertEquals(1, reins.getFlag());
            assertWorkerTimes(reins);
            List<OutputChunk> all = chunksUntil(new ArrayList<>(List.of(first)), "stderr", "second");
            assertIncreasingSeq(all);
            assertTrue(text(all, "stderr").contains("second"), all.toString());
        }
    }

    @Test
    void theAppsSecretsAreMaskedBeforeTheOutputLeaves() throws Exception {
        TestApps.shell(apps, "leaky", "echo \"$3\" | base64 -d\necho\necho \"connecting with hunter22\"\n"
                + "echo \"token=abc123&user=ann\"\n" + TestApps.tags("true", "ok"));
        TestApps.file(apps, "leaky", "appcfg.json", "{\"Secrets\": [\"password\", \"token\"]}", false);
        try (ThriftTestServer server = scheduler.serve()) {
            startAgent(server.endpoint(), b -> b);
            Reinstruct reins = callSync("A300000000000003", "leaky", "{\"db\": {\"user\": \"ann\", \"password\": \"hunter22\"}}");
            assertEquals(1, reins.getFlag());
            // the last chunks follow the result (it does not wait for them)
            String out = text(chunksUntil(new ArrayList<>(), "stdout", "ElvesWFlag"), "stdout");
            assertTrue(out.contains("{\"db\": {\"user\": \"ann\", \"password\": \"***\"}}"), out);
            assertTrue(out.contains("connecting with ***"), out);
            assertTrue(out.contains("token=***&user=ann"), out);
            assertFalse(out.contains("hunter22") || out.contains("abc123"), out);
        }
    }

    @Test
    void aSlowSchedulerCostsDroppedOutputNotASlowerWorker() throws Exception {
        // three megabytes at once, to stderr (its capture keeps 4 KiB, the answer stays readable)
        TestApps.shell(apps, "loud", "head -c 3000000 /dev/zero | tr '\\0' x >&2\n" + TestApps.tags("true", "loud"));
        SchedulerService.Iface slow = new SlowOutput(scheduler, 2000);
        try (ThriftTestServer server = ThriftTestServer.start(new SchedulerService.Processor<>(slow))) {
            startAgent(server.endpoint(), b -> b.outputFlushMillis(50).outputMaxPendingBytes(64 * 1024));
            long start = System.nanoTime();
            Reinstruct reins = callSync("A400000000000004", "loud", "");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(1, reins.getFlag(), reins.getResult());
            assertTrue(reins.getCosttime() < 1000, "the worker was not held up: " + reins.getCosttime() + " ms");
            assertTrue(tookMillis < 1000 + 1500, "the final flush waits a second at most: " + tookMillis + " ms");

            // the flood and the answer's tags, on two streams read by two threads in any order
            long written = 3_000_000 + "<ElvesWFlag>true</ElvesWFlag> <ElvesWResult>loud</ElvesWResult>".length();
            long dropped = 0;
            long kept = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (kept + dropped < written && System.nanoTime() < deadline) {
                OutputChunk c = scheduler.output.poll(1, TimeUnit.SECONDS);
                if (c != null) {
                    kept += c.getData().length();
                    dropped += c.isSetDropped() ? c.getDropped() : 0;
                }
            }
            assertTrue(dropped > 0, "the chunks say what was left out");
            assertTrue(kept <= 2 * 64 * 1024 + 16 * 1024, "the backlog stayed bounded: " + kept + " bytes sent");
            assertEquals(written, kept + dropped, "every byte is either sent or counted as dropped");
        }
    }

    @Test
    void aSchedulerWithoutOutputTransportIsNotStreamedToAndTasksRunAsBefore() throws Exception {
        TestApps.shell(apps, "talk", "echo hello\n" + TestApps.tags("true", "done"));
        SchedulerService.Processor<RecordingScheduler> full = new SchedulerService.Processor<>(scheduler);
        Map<String, ProcessFunction<RecordingScheduler, ? extends TBase>> calls = new HashMap<>(full.getProcessMapView());
        calls.remove("outputTransport");
        // what an original scheduler serves: the same calls but this one, answered UNKNOWN_METHOD
        TProcessor original = new TBaseProcessor<>(scheduler, calls) { };
        AtomicInteger requests = new AtomicInteger();
        TProcessor counting = (in, out) -> {
            original.process(in, out);
            requests.incrementAndGet(); // not reached by the read that finds a connection closed
        };
        try (ThriftTestServer server = ThriftTestServer.start(counting)) {
            startAgent(server.endpoint(), b -> b);
            for (int i = 1; i <= 2; i++) {
                Reinstruct reins = callSync("A50000000000000" + i, "talk", "");
                assertEquals(1, reins.getFlag(), reins.getResult());
                assertEquals("done", reins.getResult());
                // the output goes out after the result: the first task's is refused before the second runs
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (requests.get() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            Thread.sleep(500);
            assertTrue(scheduler.output.isEmpty());
            assertEquals(1, requests.get(), "one outputTransport, refused; none after it");
        }
    }

    private void startAgent(Endpoint schedulerAt, UnaryOperator<AgentSettings.Builder> tuning) throws Exception {
        agent = ElvesAgent.start(tuning.apply(RecordingScheduler.agentSettings(apps, state, HOST, schedulerAt)).build());
    }

    private Reinstruct callSync(String id, String app, String param) throws Exception {
        try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
            return c.api.instructionInvokeSync(new Instruct(id, HOST, "rt", "NP", app, "f", param, 10, ""));
        }
    }

    private OutputChunk awaitChunk() throws InterruptedException {
        OutputChunk c = scheduler.output.poll(5, TimeUnit.SECONDS);
        assertNotNull(c, "no output streamed in 5 s");
        return c;
    }

    private static void assertWorkerTimes(Reinstruct reins) {
        assertTrue(reins.isSetStartTime() && reins.isSetEndTime(), reins.toString());
        assertTrue(reins.getEndTime() - reins.getStartTime() >= 1000, "the worker slept a second: " + reins);
    }

    private static void assertIncreasingSeq(List<OutputChunk> chunks) {
        for (int i = 1; i < chunks.size(); i++) {
            assertTrue(chunks.get(i).getSeq() > chunks.get(i - 1).getSeq(), chunks.toString());
        }
    }

    private static String text(List<OutputChunk> chunks, String stream) {
        StringBuilder sb = new StringBuilder();
        chunks.stream().filter(c -> c.getStream().equals(stream)).forEach(c -> sb.append(c.getData()));
        return sb.toString();
    }

    /** A scheduler that takes results at once and output only after a long pause. */
    private record SlowOutput(RecordingScheduler inner, long pauseMillis) implements SchedulerService.Iface {
        @Override
        public String aliveCheck() {
            return inner.aliveCheck();
        }

        @Override
        public String dataTransport(Reinstruct reins) {
            return inner.dataTransport(reins);
        }

        @Override
        public Reinstruct instructionTransit(Instruct ins) throws TException {
            return inner.instructionTransit(ins);
        }

        @Override
        public String outputTransport(List<OutputChunk> chunks) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.outputTransport(chunks);
        }
    }

    /** The chunks received so far and those coming until {@code stream}'s text holds {@code text} (5 s at most). */
    private List<OutputChunk> chunksUntil(List<OutputChunk> all, String stream, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        scheduler.output.drainTo(all);
        while (!text(all, stream).contains(text) && System.nanoTime() < deadline) {
            OutputChunk next = scheduler.output.poll(100, TimeUnit.MILLISECONDS);
            if (next != null) {
                all.add(next);
            }
        }
        return all;
    }
}

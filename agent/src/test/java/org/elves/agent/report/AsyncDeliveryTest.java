package org.elves.agent.report;

import org.elves.agent.AgentClient;
import org.elves.agent.ElvesAgent;
import org.elves.agent.RecordingScheduler;
import org.elves.agent.TestApps;
import org.elves.agent.ThriftTestServer;
import org.elves.agent.config.Endpoint;
import org.elves.protocol.thrift.AppService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Async instructs: acknowledged at once, results through a real SchedulerService (and processor). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncDeliveryTest {
    private static final String HOST = "127.0.0.6";

    @TempDir
    Path apps;

    @TempDir
    Path state;

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final BlockingQueue<Reinstruct> processed = new LinkedBlockingQueue<>();
    private ElvesAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private void startAgent(Endpoint schedulerAt) throws Exception {
        agent = ElvesAgent.start(RecordingScheduler.agentSettings(apps, state, HOST, schedulerAt).build());
    }

    @Test
    void acksComeAtOnceAndResultsReachTheScheduler() throws Exception {
        TestApps.shell(apps, "slow", "sleep 0.5\nprintf '<ElvesWFlag>%s</ElvesWFlag><ElvesWResult>%s</ElvesWResult>' \"$2\" \"$2\"\n");
        try (ThriftTestServer server = scheduler.serve()) {
            startAgent(server.endpoint());
            Instruct a = new Instruct("A000000000000001", HOST, "queue", "NP", "slow", "true", "", 5, "");
            Instruct b = new Instruct("B000000000000002", HOST, "cron", "NP", "slow", "false", "", 5, "");
            long start = System.nanoTime();
            List<Reinstruct> acks;
            try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
                acks = c.api.instructionInvokeAsync(List.of(a, b));
            }
            assertEquals(true, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 400, "ack before the workers end");
            assertEquals(2, acks.size());
            assertEquals(new Reinstruct(a, 1, 0, ""), acks.get(0));
            assertEquals(new Reinstruct(b, 1, 0, ""), acks.get(1));

            Map<String, Reinstruct> byId = new HashMap<>();
            for (Reinstruct r : scheduler.awaitResults(2, 10)) {
                byId.put(r.getIns().getId(), r);
            }
            assertEquals(1, byId.get(a.getId()).getFlag());
            assertEquals("queue", byId.get(a.getId()).getIns().getType(), "async keeps the type for the scheduler's routing");
            assertEquals(0, byId.get(b.getId()).getFlag());
            assertEquals("false", byId.get(b.getId()).getResult());
            assertEquals(true, byId.get(a.getId()).getCosttime() >= 500);
        }
    }

    @Test
    void aSchedulerThatComesUpLateStillGetsTheResult() throws Exception {
        TestApps.shell(apps, "quick", TestApps.tags("true", "late but there"));
        int port = ThriftTestServer.freePort();
        startAgent(new Endpoint("127.0.0.1", port));
        try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
            c.api.instructionInvokeAsync(List.of(new Instruct("LATE000000000001", HOST, "queue", "NP", "quick", "f", "", 0, "")));
        }
        Thread.sleep(300);
        try (ThriftTestServer server = scheduler.serve(port)) {
            Reinstruct r = scheduler.awaitResult(10, "retry did not deliver");
            assertEquals("late but there", r.getResult());
        }
    }

    @Test
    void aRepeatedFinishedAsyncIdIsDeliveredAgainNotRunAgain() throws Exception {
        Path runs = apps.resolve("runs");
        TestApps.shell(apps, "once", "echo x >> '" + runs + "'\n" + TestApps.tags("true", "one"));
        try (ThriftTestServer server = scheduler.serve()) {
            startAgent(server.endpoint());
            Instruct ins = new Instruct("ONCE000000000001", HOST, "queue", "NP", "once", "f", "", 0, "");
            try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
                c.api.instructionInvokeAsync(List.of(ins));
                scheduler.awaitResult(10);
                assertEquals(new Reinstruct(ins, 1, 0, ""), c.api.instructionInvokeAsync(List.of(ins)).get(0));
            }
            Reinstruct again = scheduler.awaitResult(10);
            assertEquals("one", again.getResult());
            assertEquals(1, java.nio.file.Files.readAllLines(runs).size());
        }
    }

    @Test
    void centerTasksInModePGoToTheSchedulerOnlyNeverToTheProcessor() throws Exception {
        AppService.Iface processor = reins -> {
            processed.add(reins);
            return "success";
        };
        try (ThriftTestServer schedulerServer = scheduler.serve();
             ThriftTestServer processorServer = ThriftTestServer.start(new AppService.Processor<>(processor))) {
            TestApps.shell(apps, "withproc", TestApps.tags("true", "for the processor"));
            TestApps.file(apps, "withproc", "appcfg.json", appcfg(processorServer.port()), false);
            startAgent(schedulerServer.endpoint());
            Instruct queue = new Instruct("P000000000000001", HOST, "queue", "P", "withproc", "f", "{\"k\":1}", 0, "");
            Instruct cron = new Instruct("P000000000000002", HOST, "cron", "P", "withproc", "f", "", 0, "");
            try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
                c.api.instructionInvokeAsync(List.of(queue, cron));
                Reinstruct first = scheduler.awaitResult(10);
                assertEquals("P", first.getIns().getMode(), "the scheduler gets the mode: it delivers to the processor");
                scheduler.awaitResult(10);
                // a repeated id is answered again, still not to the processor
                c.api.instructionInvokeAsync(List.of(queue));
                scheduler.awaitResult(10);
            }
            assertNull(processed.poll(500, TimeUnit.MILLISECONDS), "the Scheduler delivers center tasks; the agent must not");
        }
    }

    private static String appcfg(int port) {
        return "{\"Processor\": {\"Commnet\": \"x\", \"Addr\": \"127.0.0.1\", \"Port\": " + port + ", \"Timeout\": 0}}";
    }
}

package org.elves.center.scheduler;

import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.elves.center.Component;
import org.elves.center.ComponentRoutes;
import org.elves.center.ComponentRoutes.Called;
import org.elves.center.contract.AgentStatus;
import org.elves.center.rpc.Replies;
import org.elves.protocol.Envelope;
import org.elves.protocol.thrift.AgentService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.elves.center.ComponentRoutes.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Scheduler's routes alone, with a stand-in agent on a Thrift port: tasks cast by Queue and
 * calls from the OpenAPI through rpc-serve as the inbox hands them over, the Heartbeat's
 * getStatByIp answered by a mock (which agents are online, on which port, with which apps), and
 * the results the Scheduler casts to Queue and Cron taken by the mock. The stand-in is the online
 * agent at 127.0.0.1; 127.0.0.2 is offline and 127.0.0.3 never heard from.
 */
@CamelMainTest(mockEndpointsAndSkip = ComponentRoutes.OUTGOING,
        replaceRouteFromWith = "scheduler-inbox=direct:scheduler-inbox-not-consuming")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerRoutesTest {
    private static final String ONLINE = "127.0.0.1";
    private static final String OFFLINE = "127.0.0.2";
    private static final String UNKNOWN = "127.0.0.3";
    private final ComponentRoutes scheduler = new ComponentRoutes(Component.SCHEDULER,
            // every online answer fresh: the tests' agents change state between tests
            Map.of("elves.scheduler.supervisor-processors", "false", "elves.scheduler.online-cache-ms", "0"));
    private final StandInAgent agent = new StandInAgent();
    /** Heartbeat's view: ip → online; an ip not here was never heard from ([414.1]). */
    private final Map<String, Boolean> heartbeat = new ConcurrentHashMap<>(Map.of(ONLINE, true, OFFLINE, false));

    @Configure
    void configure(MainConfigurationProperties main) {
        scheduler.configure(main);
    }

    @BeforeEach
    void theHeartbeatAnswersFromItsView() {
        scheduler.casts().reset();
        scheduler.answerCalls(called -> {
            String ip = String.valueOf(called.body().get("ip"));
            if (!"heartbeat.getStatByIp".equals(called.to() + "." + called.func()) || !heartbeat.containsKey(ip)) {
                return Replies.failure("[414.1]Agent Info Not Found: " + ip);
            }
            return Replies.ok(AgentStatus.known(ip, heartbeat.get(ip), "2026-01-01 00:00:00", agent.port,
                    Map.of("apptest", "1.0")).toMap());
        });
    }

    @AfterAll
    void stopTheAgent() {
        agent.server.stop();
    }

    @Test
    void aQueueTaskForAnOnlineAgentIsHandedToItAndItsResultGoesBackToQueueOnce() {
        scheduler.cast("queue", "asyncJob", job("0123456789AB0001", ONLINE, "queue"));

        List<Instruct> takenHere = agent.taken("0123456789AB0001");
        assertEquals(List.of("0123456789AB0001"), takenHere.stream().map(Instruct::getId).toList());
        Instruct taken = takenHere.get(0);
        assertEquals("apptest", taken.getApp());
        assertEquals("helloword", taken.getFunc());
        assertEquals("queue", taken.getType());
        assertEquals(List.of(), scheduler.cast(), "the agent took it: nothing to report yet");

        // the agent reports the result on the Scheduler's Thrift port, twice (it retries)
        Reinstruct done = new Reinstruct(taken, 1, 12, "hello");
        scheduler.template().sendBody("direct:scheduler.agent-result", done);
        scheduler.template().sendBody("direct:scheduler.agent-result", done);

        List<Called> results = scheduler.cast();
        assertEquals(1, results.size(), results::toString);
        assertEquals("queue.taskResult", results.get(0).to() + "." + results.get(0).func());
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) results.get(0).body().get("result");
        assertEquals("true", results.get(0).body().get("flag"));
        assertEquals("0123456789AB0001", result.get("id"));
        assertEquals("hello", result.get("worker_message"));
    }

    @Test
    void tasksForAnOfflineOrUnknownAgentFailAtOnceWithTheReferenceCodes() {
        scheduler.cast("queue", "asyncJob", job("0123456789AB0002", OFFLINE, "queue"));
        scheduler.cast("cron", "asyncJob", job("0123456789AB0003", UNKNOWN, "cron"));

        List<Called> failures = scheduler.cast();
        assertEquals(List.of("queue.taskResult", "cron.cronResult"), failures.stream().map(c -> c.to() + "." + c.func()).toList());
        assertTrue(String.valueOf(failures.get(0).body().get("error")).startsWith("[414.2]Agent Offline: " + OFFLINE),
                failures.get(0)::toString);
        assertTrue(String.valueOf(failures.get(1).body().get("error")).startsWith("[414.1]Agent Info Not Found: " + UNKNOWN),
                failures.get(1)::toString);
        assertEquals(List.of(), agent.taken("0123456789AB0002"), "no agent was called");
        assertEquals(List.of(), agent.taken("0123456789AB0003"), "no agent was called");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRealtimeTaskIsRunOnItsAgentAndAnsweredToTheOpenApi() {
        Map<String, Object> body = job("0123456789AB0004", ONLINE, "rt");
        body.remove("id");

        Envelope reply = scheduler.call("openapi", "syncJob", body);

        assertEquals("true", reply.body().get("flag"), reply::toString);
        Map<String, Object> result = (Map<String, Object>) reply.body().get("result");
        assertEquals("1", String.valueOf(result.get("worker_flag")));
        assertEquals("ran helloword", result.get("worker_message"));
        assertEquals(agent.ranSync.get(0).getId(), result.get("id"));
    }

    @Test
    void aStoppedQueuesRunningTasksAreCancelledOnTheirAgent() {
        scheduler.cast("queue", "cancelJobs", Map.of("ip", ONLINE, "ids", List.of("0123456789AB0005", "0123456789AB0006")));

        eventually("the agent was asked to cancel", () -> !agent.cancelled.isEmpty());
        assertEquals(List.of(List.of("0123456789AB0005", "0123456789AB0006")), agent.cancelled);
        assertEquals(List.of(), scheduler.cast(), "a cancel reports nothing itself");
    }

    private static Map<String, Object> job(String id, String ip, String type) {
        return new HashMap<>(Map.of("id", id, "ip", ip, "type", type, "app", "apptest", "func", "helloword",
                "param", "{\"n\":1}", "timeout", 10));
    }

    /** An agent that takes every task, runs realtime ones at once and notes what it was asked. */
    private static final class StandInAgent implements AgentService.Iface {
        final List<Instruct> taken = new CopyOnWriteArrayList<>();
        final List<Instruct> ranSync = new CopyOnWriteArrayList<>();
        final List<List<String>> cancelled = new CopyOnWriteArrayList<>();
        final TServer server;
        final int port;

        StandInAgent() {
            try {
                TServerSocket socket = new TServerSocket(new InetSocketAddress("127.0.0.1", 0));
                port = socket.getServerSocket().getLocalPort();
                server = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                        .processor(new AgentService.Processor<>(this)).protocolFactory(new TBinaryProtocol.Factory()));
            } catch (TTransportException e) {
                throw new IllegalStateException(e);
            }
            Thread serving = new Thread(server::serve, "stand-in-agent");
            serving.setDaemon(true);
            serving.start();
        }

        List<Instruct> taken(String id) {
            return taken.stream().filter(i -> id.equals(i.getId())).toList();
        }

        @Override
        public String aliveCheck() {
            return "success";
        }

        @Override
        public List<Reinstruct> instructionInvokeAsync(List<Instruct> instructs) {
            taken.addAll(instructs);
            return instructs.stream().map(i -> new Reinstruct(i, 1, 0, "")).toList();
        }

        @Override
        public Reinstruct instructionInvokeSync(Instruct instruct) {
            ranSync.add(instruct);
            return new Reinstruct(instruct, 1, 7, "ran " + instruct.getFunc());
        }

        @Override
        public List<String> instructionCancel(List<String> ids) {
            cancelled.add(List.copyOf(ids));
            return ids;
        }

        @Override
        public String cronSync(String crons) {
            return "";
        }
    }
}

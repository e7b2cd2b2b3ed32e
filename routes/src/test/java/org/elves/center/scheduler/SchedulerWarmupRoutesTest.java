package org.elves.center.scheduler;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.elves.center.TestNamespace;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.heartbeat.AgentRegistry;
import org.elves.center.heartbeat.BeatSharing;
import org.elves.center.heartbeat.HeartbeatQueries;
import org.elves.center.heartbeat.HeartbeatWarmup;
import org.elves.config.ElvesConfig;
import org.elves.protocol.TaskIds;
import org.elves.protocol.thrift.AgentInfo;
import org.elves.protocol.thrift.AgentService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 (a) through the Scheduler's real routes and RabbitMQ: a Heartbeat that just started
 * (stand-in inbox answering with the real HeartbeatQueries, so the test decides when the agent's
 * first beat arrives and counts the questions). 100 queue tasks for an agent whose beat comes 1 s
 * into the warm-up all reach it, none fails; 5 for an agent that never beats fail [414.1] once the
 * 3 s warm-up is over. Figures (printed): questions asked, handler threads busy while tasks wait.
 * The JVM's threads grow by fixed pools only (Camel's Delay pool of 10, spring-rabbitmq's reply
 * threads), not by one per waiting task.
 */
class SchedulerWarmupRoutesTest {
    private static final String PREFIX = "sw" + TaskIds.next().substring(0, 6).toLowerCase() + "-";
    // long enough that sending the 105 casts (confirmed, one by one) ends well inside it on a loaded machine
    private static final long WARMUP_MS = 8_000;
    private static final AgentRegistry registry = new AgentRegistry(System::currentTimeMillis, () -> 10_000L, () -> 3L);
    private static final AtomicReference<HeartbeatQueries> heartbeat = new AtomicReference<>();
    private static final AtomicInteger questions = new AtomicInteger();
    private static final List<Map<String, Object>> results = new CopyOnWriteArrayList<>();
    private static final Map<String, Long> taken = new ConcurrentHashMap<>();
    private static MongoServer mongo;
    private static ElvesConfig config;
    private static Center center;
    private static TServer agent;
    private static int agentPort;

    @BeforeAll
    static void start() throws Exception {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        agentPort = freePort();
        AgentService.Iface iface = new AgentService.Iface() {
            @Override
            public String aliveCheck() {
                return "success";
            }

            @Override
            public List<Reinstruct> instructionInvokeAsync(List<Instruct> insList) {
                insList.forEach(i -> taken.putIfAbsent(i.getId(), System.currentTimeMillis()));
                return insList.stream().map(i -> new Reinstruct(i, 1, 0, "")).toList();
            }

            @Override
            public Reinstruct instructionInvokeSync(Instruct ins) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<String> instructionCancel(List<String> ids) {
                return List.of();
            }

            @Override
            public String cronSync(String crons) {
                return "";
            }
        };
        agent = new TThreadPoolServer(new TThreadPoolServer.Args(new TServerSocket(new InetSocketAddress("127.0.0.1", agentPort)))
                .processor(new AgentService.Processor<>(iface)).protocolFactory(new TBinaryProtocol.Factory()));
        Thread serving = new Thread(agent::serve, "stub-agent");
        serving.setDaemon(true);
        serving.start();
        config = Center.configFor(List.of(Component.SCHEDULER)).overrides(Map.of(
                "elves.mq.exchange", PREFIX + "elves",
                "elves.mq.queue-prefix", PREFIX,
                "elves.mongo.uri", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(),
                "elves.scheduler.host", "127.0.0.1",
                "elves.scheduler.port", String.valueOf(freePort()),
                "elves.scheduler.supervisor-processors", "false",
                "elves.scheduler.warmup-poll-ms", "200")).build();
        center = Center.start(config, List.of(Component.SCHEDULER));
        center.context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String component : List.of("heartbeat", "queue")) {
                    from("spring-rabbitmq:" + PREFIX + "elves?queues=" + PREFIX + component
                            + "&routingKey=RAW(*." + component + ".#)&exchangeType=topic&concurrentConsumers=4")
                            .routeId("test-" + component + "-inbox")
                            .to("direct:rpc-serve");
                }
                from("direct:heartbeat.getStatByIp").process(e -> {
                    questions.incrementAndGet();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> body = e.getMessage().getBody(Map.class);
                    e.getMessage().setBody(heartbeat.get().getStatByIp(body));
                });
                from("direct:queue.taskResult").process(e -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> body = e.getMessage().getBody(Map.class);
                    results.add(body);
                    e.getMessage().setBody(null);
                });
            }
        });
    }

    @AfterAll
    static void stop() {
        if (center != null) {
            center.close();
        }
        if (agent != null) {
            agent.stop();
        }
        TestNamespace.delete(PREFIX, List.of("scheduler", "heartbeat", "queue"));
        if (config != null) {
            config.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
    }

    @Test
    void tasksDueDuringTheWarmupWaitForTheAgentsFirstBeatAndAnAgentThatNeverBeatsIs4141AfterIt() throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        // the Heartbeat "restarts" now: it knows no agent
        long restart = System.currentTimeMillis();
        heartbeat.set(new HeartbeatQueries(registry, new HeartbeatWarmup(System::currentTimeMillis, () -> WARMUP_MS),
                new BeatSharing(registry, "alone", System::currentTimeMillis, () -> 250L)));
        List<String> waiting = new ArrayList<>();
        List<String> never = new ArrayList<>();
        ProducerTemplate template = center.context().createProducerTemplate();
        for (int i = 0; i < 105; i++) {
            String id = TaskIds.next();
            String ip = i < 100 ? "127.0.0.1" : "127.0.0.3";
            (i < 100 ? waiting : never).add(id);
            Map<String, Object> job = new LinkedHashMap<>(Map.of("id", id, "ip", ip, "type", "queue", "app", "apptest",
                    "func", "helloword", "param", "", "timeout", 10));
            template.send("direct:rpc-cast", e -> {
                e.setProperty("ElvesFrom", "queue");
                e.setProperty("ElvesTo", "scheduler");
                e.setProperty("ElvesFunc", "asyncJob");
                e.getMessage().setBody(job);
            });
        }
        // while the tasks wait: how many handler threads are busy (not parked idle in the pool)
        int busyMax = 0;
        int threadsMax = 0;
        // measured once the burst of casts was taken in (the handler pool grows for it; its
        // threads end after a minute idle): then the tasks wait with no thread held each
        long sent = System.currentTimeMillis();
        Thread.sleep(1_500);
        while (System.currentTimeMillis() < sent + 2_500) {
            busyMax = Math.max(busyMax, busyHandlers());
            threadsMax = Math.max(threadsMax, threads.getThreadCount());
            Thread.sleep(50);
        }
        assertEquals(Set.of(), taken.keySet(), "nothing sent before the agent is known");
        assertEquals(List.of(), results, "and nothing failed");
        AgentInfo info = new AgentInfo();
        info.setIp("127.0.0.1");
        info.setInterval(10);
        info.setPort(agentPort);
        info.setApps("{\"apptest\":\"1\"}");
        registry.record(info);
        long beat = System.currentTimeMillis();
        int questionsBeforeBeat = questions.get();

        for (int i = 0; i < 100 && taken.size() < 100; i++) {
            Thread.sleep(50);
        }
        assertEquals(Set.copyOf(waiting), taken.keySet(), "every task reached its agent once it beat");
        long lastTaken = taken.values().stream().mapToLong(Long::longValue).max().orElse(0);

        for (int i = 0; i < 100 && results.size() < 5; i++) {
            Thread.sleep(50);
        }
        long failedAt = System.currentTimeMillis();
        assertEquals(5, results.size(), results::toString);
        for (Map<String, Object> r : results) {
            assertTrue(never.contains(TaskResults.idOf(r)), r.toString());
            assertTrue(String.valueOf(r.get("error")).startsWith("[414.1]"), r.toString());
        }
        assertTrue(failedAt >= restart + WARMUP_MS, "not before the warm-up's end");
        System.out.printf("warm-up figures: 105 tasks; %d getStatByIp questions before the beat, %d in all; "
                        + "all 100 sent %d ms after the beat; 414.1 for the silent agent %d ms after the restart "
                        + "(warm-up %d ms); busy handler threads at most %d while they wait; JVM threads %d before, at most %d while they wait%n",
                questionsBeforeBeat, questions.get(), lastTaken - beat, failedAt - restart, WARMUP_MS, busyMax,
                threadsBefore, threadsMax);
        assertTrue(lastTaken - beat < 3_000, "within a few polls of the beat: " + (lastTaken - beat));
        // no thread held per waiting task (the JVM's thread count also holds the handler threads the
        // burst of casts started, idle until they end after a minute)
        assertTrue(busyMax < 10, "handler threads busy while the tasks wait: " + busyMax);
    }

    /** elves-handler threads doing something (an idle pool thread waits for a task in getTask). */
    private static int busyHandlers() {
        int busy = 0;
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            boolean idle = java.util.Arrays.stream(t.getValue())
                    .anyMatch(f -> f.getMethodName().equals("getTask") && f.getClassName().endsWith("ThreadPoolExecutor"));
            if (t.getKey().getName().contains("elves-handler") && !idle) {
                busy++;
            }
        }
        return busy;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

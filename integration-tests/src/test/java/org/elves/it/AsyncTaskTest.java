package org.elves.it;

import org.apache.camel.builder.RouteBuilder;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.elves.agent.AgentFleet;
import org.elves.center.Component;
import org.elves.protocol.TaskIds;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.elves.protocol.thrift.SchedulerService;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queue and Cron hand tasks to the Scheduler (asyncJob casts over RabbitMQ); real agents on
 * 127.0.0.41-42 acknowledge, run the workers and report through the Scheduler's Thrift port; the
 * results come back as taskResult/cronResult casts. In-test routes on the Queue and Cron queues
 * stand in for those components and collect what arrives (QueueTaskTest runs the real Queue).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AsyncTaskTest {
    private static final List<String> MACHINES = List.of("127.0.0.41", "127.0.0.42");
    private static final Duration RESULT_WAIT = Duration.ofSeconds(20);
    private static LocalCluster cluster;
    private static String exchange;
    private static String prefix;
    /** Results cast to the stand-in components, by task id, in arrival order. */
    private static final Map<String, List<Map<String, Object>>> taskResults = new ConcurrentHashMap<>();
    private static final Map<String, List<Map<String, Object>>> cronResults = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        // without the real Queue component: the stand-ins below take its queue and handler names
        cluster = LocalCluster.builder()
                .components(List.of(Component.HEARTBEAT, Component.SCHEDULER, Component.OPENAPI)).start();
        exchange = cluster.config().get("elves.mq.exchange");
        prefix = cluster.config().get("elves.mq.queue-prefix", "");
        Path apps = cluster.agentSettings(MACHINES.get(0)).build().appsDir();
        ShellApps.write(apps.resolve("slowapp"), "sleep 30\necho '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>late</ElvesWResult>'\n");
        cluster.center().context().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String component : List.of("queue", "cron")) {
                    // the inbox the Queue and Cron components will have
                    from("spring-rabbitmq:" + exchange + "?queues=" + prefix + component
                            + "&routingKey=RAW(*." + component + ".#)&exchangeType=topic")
                            .routeId("test-" + component + "-inbox")
                            .to("direct:rpc-serve");
                }
                from("direct:queue.taskResult").process(e -> collect(taskResults, e.getMessage().getBody(Map.class)));
                from("direct:cron.cronResult").process(e -> collect(cronResults, e.getMessage().getBody(Map.class)));
            }
        });
        cluster.startAgents(MACHINES, b -> b);
        cluster.awaitOnline(MACHINES, Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
            // the stand-in queues are not components of the cluster: it does not delete them
            CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
            try {
                RabbitAdmin admin = new RabbitAdmin(factory);
                admin.deleteQueue(prefix + "queue");
                admin.deleteQueue(prefix + "cron");
            } finally {
                factory.destroy();
            }
        }
    }

    @Test
    void aQueueTaskRunsOnItsAgentAndItsResultReachesQueue() throws Exception {
        String id = asyncJob("queue", "127.0.0.41", "apptest", "helloword", "{\"my\":\"async hi\"}", 30);
        Map<String, Object> r = awaitResult(taskResults, id);
        assertEquals("true", r.get("flag"), r.toString());
        assertEquals("", r.get("error"));
        Map<?, ?> result = (Map<?, ?>) r.get("result");
        assertEquals(id, result.get("id"));
        assertEquals("1", result.get("worker_flag"));
        assertEquals("async hi", result.get("worker_message"));
        assertTrue(Integer.parseInt(String.valueOf(result.get("worker_costtime"))) >= 0);
    }

    @Test
    void aCronTaskResultReachesCron() throws Exception {
        String id = asyncJob("cron", "127.0.0.42", "apptest", "helloword", "{\"my\":\"tick\"}", 30);
        Map<?, ?> result = (Map<?, ?>) awaitResult(cronResults, id).get("result");
        assertEquals("1", result.get("worker_flag"));
        assertEquals("tick", result.get("worker_message"));
        assertTrue(taskResults.get(id) == null, "a cron result does not go to Queue");
    }

    @Test
    void aWorkerThatReportsFailureGivesWorkerFlagZero() throws Exception {
        String id = asyncJob("queue", "127.0.0.42", "apptest", "helloword", "{\"other\":1}", 30);
        Map<String, Object> r = awaitResult(taskResults, id);
        assertEquals("true", r.get("flag"), r.toString());
        assertEquals("0", ((Map<?, ?>) r.get("result")).get("worker_flag"));
    }

    @Test
    void aWorkerPastItsTimeoutIsReportedAsMinusOne() throws Exception {
        String id = asyncJob("queue", "127.0.0.41", "slowapp", "wait", "", 1);
        Map<?, ?> result = (Map<?, ?>) awaitResult(taskResults, id).get("result");
        assertEquals("-1", result.get("worker_flag"));
        assertEquals("app exec timeout", result.get("worker_message"));
    }

    @Test
    void anUnknownAgentGivesAFailureResultAtOnce() throws Exception {
        String id = asyncJob("queue", "127.0.0.99", "apptest", "helloword", "", 30);
        Map<String, Object> r = awaitResult(taskResults, id);
        assertEquals("false", r.get("flag"));
        assertTrue(String.valueOf(r.get("error")).startsWith("[414.1]"), r.toString());
        assertEquals(Map.of("id", id), r.get("result"));
    }

    @Test
    void anAgentThatIsDownGivesAFailureResultPromptly() throws Exception {
        AgentFleet leaving = cluster.startAgents(List.of("127.0.0.45"), b -> b);
        cluster.awaitOnline(List.of("127.0.0.45"), Duration.ofSeconds(10));
        leaving.close();
        long sent = System.nanoTime();
        String id = asyncJob("queue", "127.0.0.45", "apptest", "helloword", "{\"my\":\"x\"}", 30);
        Map<String, Object> r = awaitResult(taskResults, id);
        assertTrue(System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(8), "failure cast promptly");
        assertEquals("false", r.get("flag"));
        String error = String.valueOf(r.get("error"));
        // refused connection while Heartbeat still counts it online, or offline already
        assertTrue(error.startsWith("[410.1]") || error.startsWith("[414.2]"), error);
        assertEquals(Map.of("id", id), r.get("result"));
    }

    @Test
    void aResultReportedTwiceIsCastOnce() throws Exception {
        String id = TaskIds.next();
        Reinstruct reins = new Reinstruct(new Instruct().setId(id).setIp("127.0.0.41").setType("queue").setMode("NP")
                .setApp("apptest").setFunc("helloword").setParam("").setProxy(""), 1, 7, "done once");
        for (int i = 0; i < 2; i++) {
            try (TSocket socket = new TSocket("127.0.0.1", cluster.schedulerPort())) {
                socket.open();
                assertEquals("success", new SchedulerService.Client(new TBinaryProtocol(socket)).dataTransport(reins));
            }
        }
        Map<?, ?> result = (Map<?, ?>) awaitResult(taskResults, id).get("result");
        assertEquals("done once", result.get("worker_message"));
        assertEquals("7", result.get("worker_costtime"));
        Thread.sleep(1000);
        assertEquals(1, taskResults.get(id).size(), taskResults.get(id).toString());
    }

    @Test
    void theSameTaskSentTwiceRunsAndReportsOnce() throws Exception {
        String id = asyncJob("queue", "127.0.0.42", "apptest", "helloword", "{\"my\":\"once\"}", 30);
        awaitResult(taskResults, id);
        // the agent answers a repeated id with its kept result; the Scheduler casts nothing more
        cast(job(id, "queue", "127.0.0.42", "apptest", "helloword", "{\"my\":\"once\"}", 30));
        Thread.sleep(1500);
        assertEquals(1, taskResults.get(id).size(), taskResults.get(id).toString());
    }

    @Test
    void anInvalidAsyncJobIsDropped() throws Exception {
        Map<String, Object> badMode = job(TaskIds.next(), "queue", "127.0.0.41", "apptest", "helloword", "", 30);
        badMode.put("mode", "X");
        cast(badMode);
        Map<String, Object> badType = job(TaskIds.next(), "rt", "127.0.0.41", "apptest", "helloword", "", 30);
        cast(badType);
        String valid = asyncJob("queue", "127.0.0.41", "apptest", "helloword", "{\"my\":\"after\"}", 30);
        awaitResult(taskResults, valid);
        assertTrue(taskResults.get(String.valueOf(badMode.get("id"))) == null);
        assertTrue(taskResults.get(String.valueOf(badType.get("id"))) == null);
    }

    private static String asyncJob(String type, String ip, String app, String func, String param, int timeout) {
        String id = TaskIds.next();
        cast(job(id, type, ip, app, func, param, timeout));
        return id;
    }

    private static Map<String, Object> job(String id, String type, String ip, String app, String func, String param,
                                           int timeout) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("ip", ip);
        body.put("type", type);
        body.put("mode", "NP");
        body.put("app", app);
        body.put("func", func);
        body.put("param", param);
        body.put("timeout", timeout);
        body.put("proxy", "");
        return body;
    }

    /** What Queue or Cron will do: cast asyncJob to the Scheduler over RabbitMQ. */
    private static void cast(Map<String, Object> body) {
        String from = "cron".equals(body.get("type")) ? "cron" : "queue";
        cluster.center().context().createProducerTemplate().send("direct:rpc-cast", e -> {
            e.setProperty("ElvesFrom", from);
            e.setProperty("ElvesTo", "scheduler");
            e.setProperty("ElvesFunc", "asyncJob");
            e.getMessage().setBody(new HashMap<>(body));
        });
    }

    @SuppressWarnings("unchecked")
    private static void collect(Map<String, List<Map<String, Object>>> into, Map<?, ?> body) {
        Object id = body.get("result") instanceof Map<?, ?> r ? r.get("id") : null;
        into.computeIfAbsent(String.valueOf(id), k -> new CopyOnWriteArrayList<>()).add((Map<String, Object>) body);
    }

    private static Map<String, Object> awaitResult(Map<String, List<Map<String, Object>>> results, String id)
            throws InterruptedException {
        long deadline = System.nanoTime() + RESULT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> arrived = results.get(id);
            if (arrived != null && !arrived.isEmpty()) {
                return arrived.get(0);
            }
            Thread.sleep(20);
        }
        assertNotNull(null, "no result for task " + id + " within " + RESULT_WAIT
                + "; arrived: " + new ArrayList<>(results.keySet()));
        return null;
    }
}

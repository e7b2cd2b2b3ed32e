package org.elves.center;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TSimpleServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TSocket;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.Json;
import org.elves.protocol.TaskIds;
import org.elves.protocol.thrift.AgentInfo;
import org.elves.protocol.thrift.AgentService;
import org.elves.protocol.thrift.HeartbeatService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The center's components in one Camel Main against the real RabbitMQ: a heartbeat over Thrift, the
 * info endpoints and a realtime call to a minimal in-test AgentService (the real agent's end-to-end
 * path is in integration-tests).
 */
class CenterTest {
    private static final String PREFIX = "ct" + TaskIds.next().substring(0, 6).toLowerCase() + "-";
    private static MongoServer mongo;
    private static ElvesConfig config;
    private static Center center;
    private static TServer agent;
    private static int apiPort;
    private static int heartbeatPort;
    private static int agentPort;

    @BeforeAll
    static void start() throws Exception {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        InetSocketAddress mongoAddress = mongo.getLocalAddress();
        apiPort = freePort();
        heartbeatPort = freePort();
        agentPort = freePort();
        TServerSocket socket = new TServerSocket(new InetSocketAddress("127.0.0.1", agentPort));
        agent = new TSimpleServer(new TServer.Args(socket).processor(new AgentService.Processor<>(new EchoAgent()))
                .protocolFactory(new TBinaryProtocol.Factory()));
        new Thread(agent::serve, "echo-agent").start();
        config = Center.configFor(List.of(Component.values())).overrides(Map.of(
                "elves.mq.exchange", PREFIX + "elves",
                "elves.mq.queue-prefix", PREFIX,
                "elves.mongo.uri", "mongodb://127.0.0.1:" + mongoAddress.getPort(),
                "elves.openapi.port", String.valueOf(apiPort),
                "elves.heartbeat.host", "127.0.0.1",
                "elves.heartbeat.port", String.valueOf(heartbeatPort),
                "elves.scheduler.host", "127.0.0.1",
                "elves.scheduler.port", String.valueOf(freePort()),
                "elves.openapi.auth.id", "tester",
                "elves.openapi.auth.key", "secret")).build();
        center = Center.start(config, List.of(Component.values()));
    }

    @AfterAll
    static void stop() {
        if (center != null) {
            center.close();
        }
        if (agent != null) {
            agent.stop();
        }
        TestNamespace.delete(PREFIX, List.of("scheduler", "heartbeat"));
        if (config != null) {
            config.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void heartbeatThenInfoThenRealtime() throws Exception {
        AgentInfo info = new AgentInfo();
        info.setIp("127.0.0.1");
        info.setId("local");
        info.setVersion("test");
        info.setApps("{\"apptest\":\"1.0.0\"}");
        info.setPort(agentPort);
        try (TSocket s = new TSocket("127.0.0.1", heartbeatPort)) {
            s.open();
            String answer = new HeartbeatService.Client(new TBinaryProtocol(s)).heartbeatPackage(info);
            assertEquals(Map.of("data", Map.of("apptest", "1.0.0")), Json.object(answer));
        }

        Map<String, Object> agents = call("/api/v2/info/agents", Map.of());
        assertEquals("true", agents.get("flag"), String.valueOf(agents));
        assertEquals(List.of("127.0.0.1"), agents.get("result"));

        Map<String, Object> rt = call("/api/v2/rt/exec", Map.of("ip", "127.0.0.1", "app", "apptest",
                "func", "helloword", "param", "{\"my\":\"x\"}"));
        assertEquals("true", rt.get("flag"), String.valueOf(rt));
        Map<String, Object> result = (Map<String, Object>) rt.get("result");
        assertEquals("1", result.get("worker_flag"));
        assertEquals("helloword {\"my\":\"x\"}", result.get("worker_message"));

        Map<String, Object> unknown = call("/api/v2/rt/exec", Map.of("ip", "127.0.0.9", "app", "apptest", "func", "f"));
        assertEquals("false", unknown.get("flag"));
        assertEquals("[414.1]", String.valueOf(unknown.get("error")).substring(0, 7));
    }

    @Test
    void aCastReachesTheOtherComponentsHandlerOverRabbitMq() throws Exception {
        java.util.concurrent.CountDownLatch received = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Object> body = new java.util.concurrent.atomic.AtomicReference<>();
        center.context().addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:heartbeat.testCast").process(e -> {
                    body.set(e.getMessage().getBody());
                    received.countDown();
                });
            }
        });
        center.context().createProducerTemplate().send("direct:rpc-cast", e -> {
            e.setProperty("ElvesFrom", "scheduler");
            e.setProperty("ElvesTo", "heartbeat");
            e.setProperty("ElvesFunc", "testCast");
            e.getMessage().setBody(new java.util.HashMap<>(Map.of("id", "42")));
        });
        org.junit.jupiter.api.Assertions.assertTrue(received.await(10, java.util.concurrent.TimeUnit.SECONDS), "cast delivered");
        assertEquals(Map.of("id", "42"), body.get());
    }

    private static Map<String, Object> call(String path, Map<String, String> business) throws Exception {
        Map<String, String> params = new TreeMap<>(business);
        params.put("auth_id", "tester");
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        params.put("sign_type", "MD5");
        params.put("sign", ApiSignature.sign(path, params, "secret"));
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + apiPort + path + "?" + q)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.object(response.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Answers every instruct with its func and param: enough to see the center carry it. */
    private static final class EchoAgent implements AgentService.Iface {
        @Override
        public String aliveCheck() {
            return "success";
        }

        @Override
        public List<Reinstruct> instructionInvokeAsync(List<Instruct> insList) {
            return List.of();
        }

        @Override
        public Reinstruct instructionInvokeSync(Instruct ins) {
            return new Reinstruct().setIns(ins).setFlag(1).setCosttime(1).setResult(ins.getFunc() + " " + ins.getParam());
        }

        @Override
        public List<String> instructionCancel(List<String> ids) {
            return List.of();
        }

        @Override
        public String cronSync(String crons) {
            return "";
        }
    }
}

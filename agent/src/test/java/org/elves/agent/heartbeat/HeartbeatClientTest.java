package org.elves.agent.heartbeat;

import org.elves.agent.AgentVersion;
import org.elves.agent.ElvesAgent;
import org.elves.agent.TestApps;
import org.elves.agent.ThriftTestServer;
import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.Endpoint;
import org.elves.protocol.Json;
import org.elves.protocol.thrift.AgentInfo;
import org.elves.protocol.thrift.HeartbeatService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeartbeatClientTest {
    @TempDir
    Path apps;

    @TempDir
    Path state;

    @Test
    void firstBeatGoesOutAtStartWithTheAgentsFieldsAndTheReplyIsKept() throws Exception {
        BlockingQueue<AgentInfo> beats = new LinkedBlockingQueue<>();
        HeartbeatService.Iface center = info -> {
            beats.add(info);
            return "{\"data\":{\"apptest\":\"1.0.1\"}}";
        };
        TestApps.shell(apps, "fromfile", TestApps.tags("true", ""));
        Files.writeString(apps.resolve("fromfile/VERSION"), "2.5.0\n");
        TestApps.shell(apps, "fromcfg", TestApps.tags("true", ""));
        TestApps.shell(apps, "unversioned", TestApps.tags("true", ""));
        Files.createDirectories(apps.resolve("not-an-app"));
        try (ThriftTestServer server = ThriftTestServer.start(new HeartbeatService.Processor<>(center))) {
            AgentSettings settings = AgentSettings.builder().appsDir(apps).stateDir(state).bind("127.0.0.8").port(0).asset("box-8")
                    .apps(Map.of("fromcfg", "3.0")).ipList(List.of("127.0.0.8"))
                    .heartbeat(server.endpoint()).heartbeatIntervalSeconds(60).build();
            long before = System.currentTimeMillis();
            try (ElvesAgent agent = ElvesAgent.start(settings)) {
                AgentInfo info = beats.poll(5, TimeUnit.SECONDS);
                assertNotNull(info, "no beat at start (the interval is 60 s)");
                assertEquals("box-8", info.getId());
                assertEquals("127.0.0.8", info.getIp());
                assertEquals(AgentVersion.get(), info.getVersion());
                assertEquals("java", info.getType());
                assertEquals(60, info.getInterval());
                assertEquals(List.of("127.0.0.8"), info.getIpList());
                assertEquals(agent.startTime(), info.getStartTime());
                assertEquals(agent.port(), info.getPort(), "the port actually bound, for the scheduler to call");
                assertTrue(info.getStartTime() >= before);
                assertEquals(Map.of("fromfile", "2.5.0", "fromcfg", "3.0", "unversioned", "0"), Json.object(info.getApps()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (agent.wantedApps().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(Map.of("apptest", "1.0.1"), agent.wantedApps());
            }
        }
    }

    @Test
    void beatsRepeatEveryIntervalAndSurviveAnAbsentServer() throws Exception {
        BlockingQueue<AgentInfo> beats = new LinkedBlockingQueue<>();
        int port = ThriftTestServer.freePort();
        AgentSettings settings = AgentSettings.builder().appsDir(apps).stateDir(state).bind("127.0.0.8").port(0)
                .heartbeat(new Endpoint("127.0.0.1", port)).heartbeatIntervalSeconds(1).build();
        try (ElvesAgent agent = ElvesAgent.start(settings)) {
            Thread.sleep(300);
            try (ThriftTestServer server = ThriftTestServer.start(new HeartbeatService.Processor<>(info -> {
                beats.add(info);
                return "not json";
            }), port)) {
                assertNotNull(beats.poll(5, TimeUnit.SECONDS), "beats resume once the server is there");
                assertNotNull(beats.poll(5, TimeUnit.SECONDS), "and keep coming");
                assertEquals(Map.of(), agent.wantedApps(), "an unusable reply changes nothing");
                assertTrue(beats.peek() == null || beats.peek().getIpList().contains("127.0.0.8"));
            }
        }
    }

    @Test
    void whenItsHeartbeatServerStopsTheAgentMovesToTheNextInItsList() throws Exception {
        BlockingQueue<String> beats = new LinkedBlockingQueue<>();
        try (ThriftTestServer first = ThriftTestServer.start(new HeartbeatService.Processor<>(info -> {
                beats.add("first");
                return "{}";
            }));
             ThriftTestServer second = ThriftTestServer.start(new HeartbeatService.Processor<>(info -> {
                beats.add("second");
                return "{}";
            }))) {
            AgentSettings settings = AgentSettings.builder().appsDir(apps).stateDir(state).bind("127.0.0.8").port(0)
                    .heartbeats(List.of(first.endpoint(), second.endpoint())).heartbeatIntervalSeconds(1).build();
            try (ElvesAgent agent = ElvesAgent.start(settings)) {
                String beaten = beats.poll(5, TimeUnit.SECONDS);
                assertNotNull(beaten, "a beat at start");
                ThriftTestServer stopped = beaten.equals("first") ? first : second;
                String other = beaten.equals("first") ? "second" : "first";
                stopped.close();
                beats.clear();
                // the interval (1 s), the failed beat, then at most 1 s of random pause before the next server
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String next = null;
                while (!other.equals(next) && System.nanoTime() < deadline) {
                    next = beats.poll(100, TimeUnit.MILLISECONDS);
                }
                assertEquals(other, next, "the beats go to the other server");
                assertNotNull(beats.poll(3, TimeUnit.SECONDS), "and stay there");
            }
        }
    }
}
package org.elves.it;

import org.elves.cli.api.ApiResponse;
import org.elves.config.InstanceRegistry;
import org.elves.protocol.ErrorCode;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distributed shape: Scheduler, Heartbeat and OpenAPI each run as their own process, joined
 * only by RabbitMQ, ZooKeeper and MongoDB; agents on loopback addresses report to the Heartbeat
 * process and take tasks from the Scheduler process.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DistributedShapeTest {

    @Test
    void componentsInSeparateProcessesCarryARealtimeTask() throws Exception {
        List<String> machines = List.of("127.0.0.12", "127.0.0.13", "127.0.0.14");
        try (LocalCluster shared = LocalCluster.builder().components(List.of()).start()) {
            List<JavaProcess> processes = new ArrayList<>();
            try {
                for (String component : List.of("heartbeat", "scheduler", "openapi")) {
                    List<String> args = new ArrayList<>(List.of("--components", component));
                    shared.sharedSettings().forEach((k, v) -> args.add("-D" + k + "=" + v));
                    processes.add(JavaProcess.start(component, Map.of(), "org.elves.center.CenterCommand", args));
                }
                for (JavaProcess p : processes) {
                    p.awaitOutput("Elves center started", Duration.ofSeconds(60));
                }
                InstanceRegistry registry = shared.config().instanceRegistry().orElseThrow();
                for (String component : List.of("heartbeat", "scheduler", "openapi")) {
                    assertEquals(1, registry.instances(component).size(), component + " registered in ZooKeeper");
                }
                shared.startAgents(machines, b -> b);
                Api api = Api.of(shared);
                for (String ip : machines) {
                    ApiResponse r = awaitAnswer(api, ip);
                    assertTrue(r.ok(), r.error());
                    assertEquals("1", r.resultText("worker_flag"));
                    assertEquals("distributed " + ip, r.resultText("worker_message"));
                }

                // a component that stops leaves ZooKeeper at once
                processes.get(1).terminate();
                processes.get(1).awaitExit(Duration.ofSeconds(30));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!registry.instances("scheduler").isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(registry.instances("scheduler").isEmpty(), "scheduler unregistered");

                // with Heartbeat gone, a call that needs it gets a clear timeout, not a hang
                processes.get(0).kill();
                processes.get(0).awaitExit(Duration.ofSeconds(30));
                long asked = System.nanoTime();
                ApiResponse noHeartbeat = api.call("/api/v2/info/agents", Map.of());
                assertEquals(ErrorCode.COMPONENT_TIMEOUT, noHeartbeat.errorCode(), noHeartbeat.error());
                assertTrue(System.nanoTime() - asked < TimeUnit.SECONDS.toNanos(15), "answered within the rpc timeout");
            } finally {
                for (JavaProcess p : processes) {
                    p.close();
                }
            }
        }
    }

    /** The agents' first heartbeats reach the Heartbeat process within a moment. */
    private static ApiResponse awaitAnswer(Api api, String ip) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        ApiResponse r;
        do {
            r = api.rt(ip, "apptest", "helloword", "{\"my\":\"distributed " + ip + "\"}", 30);
            if (r.ok()) {
                return r;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return r;
    }
}

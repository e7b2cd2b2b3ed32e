package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.curator.framework.CuratorFramework;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mode P (CAP) end to end: the whole center in one JVM, a real agent on 127.0.0.71, the real Python
 * processor SDK running the example processor of apptest as a separate process, registered live in
 * ZooKeeper's global node /elves as {"processor": {"apptest": "127.0.0.1:port"}}. Tasks go in
 * through the signed queue API.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessorDeliveryTest {
    private static final String AGENT = "127.0.0.71";
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCluster cluster;
    private static Api api;
    private static Process processor;
    private static Path deliveries;

    @BeforeAll
    static void start() throws Exception {
        Process check = new ProcessBuilder(PYTHON, "-c", "import thrift").redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        Assumptions.assumeTrue(check.waitFor() == 0, "SKIPPED: python3-thrift is not installed for " + PYTHON
                + " (apt-get install python3-thrift; scripts/setup-debian.sh and CI install it)");

        cluster = LocalCluster.builder().components(List.of(Component.values())).start();
        Path apps = cluster.agentSettings(AGENT).build().appsDir();
        // an app nobody registered a processor for
        Path noproc = apps.resolve("noproc");
        Files.createDirectories(noproc);
        Files.writeString(noproc.resolve("app-worker.sh"), "#!/bin/sh\necho '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>done</ElvesWResult>'\n");
        noproc.resolve("app-worker.sh").toFile().setExecutable(true);
        cluster.startAgents(List.of(AGENT), b -> b);
        cluster.awaitOnline(List.of(AGENT), Duration.ofSeconds(15));
        api = Api.of(cluster);

        Path work = Files.createTempDirectory("elves-processor");
        deliveries = work.resolve("deliveries.jsonl");
        Path sdk = Path.of("../apps/sdk/python/processor/app-processor.py").toAbsolutePath().normalize();
        Path example = Path.of("../apps/examples/apptest/processor.py").toAbsolutePath().normalize();
        processor = new ProcessBuilder(PYTHON, sdk.toString(), "--app", "apptest", "--host", "127.0.0.1", "--port", "0",
                "--module", example.toString(), "--", "--out", deliveries.toString())
                .directory(work.toFile()).redirectError(work.resolve("processor.log").toFile()).start();
        String line = new BufferedReader(new InputStreamReader(processor.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = Pattern.compile("listening on (\\S+):(\\d+)").matcher(line == null ? "" : line);
        assertTrue(m.find(), "processor did not start: " + line + " " + Files.readString(work.resolve("processor.log")));
        register("apptest", "127.0.0.1:" + m.group(2));
    }

    /** Writes {"processor": {app: address}} into the global node /elves, as an operator (or later the Supervisor) does. */
    private static void register(String app, String address) throws Exception {
        CuratorFramework zk = cluster.config().zookeeper().orElseThrow();
        String root = cluster.config().zookeeperRoot();
        if (zk.checkExists().forPath(root) == null) {
            zk.create().creatingParentsIfNeeded().forPath(root, new byte[0]);
        }
        byte[] current = zk.getData().forPath(root);
        ObjectNode node = current == null || current.length == 0 || new String(current, StandardCharsets.UTF_8).isBlank()
                ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(current);
        node.putObject("processor").put(app, address);
        zk.setData().forPath(root, JSON.writeValueAsBytes(node));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!address.equals(cluster.config().get("elves.processor." + app, ""))) {
            assertTrue(System.nanoTime() < deadline, "elves.processor." + app + " not applied from ZooKeeper");
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (processor != null) {
            processor.destroy();
            processor.waitFor(5, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aModePTaskReachesTheProcessorAndAnNpTaskNever() throws Exception {
        String q = create("apptest");
        String p = add(q, "P", "{\"my\":\"for the processor\"}");
        String np = add(q, "NP", "{\"my\":\"not for the processor\"}");
        assertTrue(call("commit", Map.of("queue_id", q)).ok());

        JsonNode result = awaitProcessorOutcome(q, p);
        JsonNode task = result.get(p);
        assertEquals("finish", task.get("status").asText(), task.toString());
        assertEquals("1", task.get("worker_flag").asText());
        assertEquals("true", task.get("processor_flag").asText(), task.toString());
        assertEquals("", task.get("processor_error").asText());
        assertTrue(task.get("processor_costtime").asLong() >= 0, task.toString());

        List<JsonNode> lines = awaitDeliveries(p);
        assertEquals(1, lines.size(), "delivered once (the agent does not deliver center tasks itself): " + lines);
        JsonNode delivered = lines.get(0);
        assertEquals(AGENT, delivered.get("agent_ip").asText());
        assertEquals(1, delivered.get("flag").asInt());
        assertEquals(task.get("worker_costtime").asInt(), delivered.get("costtime").asInt());
        assertEquals("for the processor", delivered.get("message").asText());
        assertEquals("queue", delivered.get("type").asText());
        assertEquals("helloword", delivered.get("func").asText());

        JsonNode npTask = awaitProcessorOutcome(q, np).get(np);
        assertEquals("finish", npTask.get("status").asText());
        assertTrue(!npTask.has("processor_flag"), "NP tasks have no processor fields: " + npTask);
        Thread.sleep(500);
        for (JsonNode line : readDeliveries()) {
            assertTrue(!np.equals(line.get("id").asText()), "the NP task reached the processor: " + line);
        }
    }

    @Test
    void aModePTaskOfAnAppWithoutProcessorRecordsWhy() throws Exception {
        String q = create("noproc");
        String p = add(q, "P", "");
        assertTrue(call("commit", Map.of("queue_id", q)).ok());
        JsonNode task = awaitProcessorOutcome(q, p).get(p);
        assertEquals("finish", task.get("status").asText());
        assertEquals("true", task.get("flag").asText(), "the task itself succeeded");
        assertEquals("false", task.get("processor_flag").asText(), task.toString());
        assertEquals("no processor registered for noproc", task.get("processor_error").asText());
    }

    private static String create(String app) {
        ApiResponse r = call("create", Map.of("app", app));
        assertTrue(r.ok(), r.error());
        return r.resultText("id");
    }

    private static String add(String queue, String mode, String param) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("queue_id", queue);
        params.put("ip", AGENT);
        params.put("func", "helloword");
        params.put("param", param);
        params.put("timeout", "20");
        params.put("mode", mode);
        ApiResponse r = call("addtask", params);
        assertTrue(r.ok(), r.error());
        return r.resultText("id");
    }

    private static ApiResponse call(String endpoint, Map<String, String> params) {
        return api.call("/api/v2/queue/" + endpoint, params);
    }

    /** Polls /queue/result until the task is terminal and, in mode P, its processor outcome is recorded. */
    private static JsonNode awaitProcessorOutcome(String queue, String taskId) throws InterruptedException {
        return api.queueResultWhen(queue, result -> {
            JsonNode task = result.get(taskId);
            String status = task.get("status").asText();
            boolean terminal = !status.equals("pendding") && !status.equals("running");
            return terminal && (!task.has("processor_flag") || !task.get("processor_flag").asText().isEmpty());
        }, Duration.ofSeconds(30));
    }

    private static List<JsonNode> readDeliveries() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        if (Files.exists(deliveries)) {
            for (String line : Files.readAllLines(deliveries)) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static List<JsonNode> awaitDeliveries(String taskId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<JsonNode> mine = readDeliveries().stream().filter(n -> taskId.equals(n.get("id").asText())).toList();
            if (!mine.isEmpty() || System.nanoTime() > deadline) {
                Thread.sleep(300);
                return readDeliveries().stream().filter(n -> taskId.equals(n.get("id").asText())).toList();
            }
            Thread.sleep(50);
        }
    }
}

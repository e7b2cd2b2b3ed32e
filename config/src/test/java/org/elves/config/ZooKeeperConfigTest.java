package org.elves.config;

import static org.elves.config.TestSupport.await;
import static org.elves.config.TestSupport.uniqueRoot;
import static org.elves.config.TestSupport.zooKeeperBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ZooKeeper layers against a real embedded server: mapping, precedence and live changes. */
class ZooKeeperConfigTest {
    private static EmbeddedZooKeeper zk;
    private static CuratorFramework admin;

    private String root;
    private ZooKeeperConfigWriter writer;

    @BeforeAll
    static void startServer() {
        zk = EmbeddedZooKeeper.builder().tickTimeMs(200).start();
        admin = TestSupport.client(zk);
    }

    @AfterAll
    static void stopServer() {
        admin.close();
        zk.close();
    }

    @BeforeEach
    void freshRoot() {
        root = uniqueRoot();
        writer = new ZooKeeperConfigWriter(admin, root);
    }

    @Test
    void globalAndComponentNodesMapToKeys() {
        writer.publish(null, Map.of("timeout", 90, "agent.port", 11101, "download", Map.of("url", "http://x/")));
        writer.publish("openapi", Map.of("sign.window-seconds", 60));
        try (ElvesConfig config = zooKeeperBuilder(zk, root).components("openapi").build()) {
            assertTrue(config.zookeeperEnabled());
            assertEquals(root, config.zookeeperRoot());
            assertEquals("90", config.get("elves.timeout"));
            assertEquals(11101, config.getInt("elves.agent.port", 0));
            assertEquals("http://x/", config.get("elves.download.url"));
            assertEquals(60, config.getInt("elves.openapi.sign.window-seconds", 0));
            assertNull(config.get("elves.sign.window-seconds"));
        }
    }

    @Test
    void fullKeysInNodesAreNotPrefixedTwice() {
        writer.publish(null, Map.of("elves.timeout", 33));
        writer.publish("openapi", Map.of("elves.openapi.limit", 5));
        assertEquals(Map.of("timeout", "33"), writer.read(null));
        assertEquals(Map.of("limit", "5"), writer.read("openapi"));
        try (ElvesConfig config = zooKeeperBuilder(zk, root).components("openapi").build()) {
            assertEquals(33, config.getInt("elves.timeout", 0));
            assertEquals(5, config.getInt("elves.openapi.limit", 0));
        }
    }

    @Test
    void propertiesTextNodeIsRead() throws Exception {
        admin.create().creatingParentsIfNeeded().forPath(root + "/scheduler",
                "# written by hand\nport=10101\nauth.mode=simple\n".getBytes(StandardCharsets.UTF_8));
        try (ElvesConfig config = zooKeeperBuilder(zk, root).components("scheduler").build()) {
            assertEquals(10101, config.getInt("elves.scheduler.port", 0));
            assertEquals("simple", config.get("elves.scheduler.auth.mode"));
        }
    }

    @Test
    void precedenceAroundTheZooKeeperLayers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("elves.properties");
        Files.writeString(file, """
                elves.timeout=1
                elves.scheduler.port=1
                elves.from.file=file
                elves.mq.exchange=file-exchange
                """, StandardCharsets.UTF_8);
        writer.publish(null, Map.of("timeout", 2, "scheduler.port", 2, "mq.exchange", "zk-exchange"));
        writer.publish("scheduler", Map.of("port", 3));
        try (ElvesConfig config = zooKeeperBuilder(zk, root)
                .propertiesFile(file)
                .environment(Map.of("ELVES_MQ_EXCHANGE", "env-exchange"))
                .components("scheduler")
                .build()) {
            assertEquals(2, config.getInt("elves.timeout", 0), "global node beats the file");
            assertEquals(3, config.getInt("elves.scheduler.port", 0), "component node beats the global node");
            assertEquals("file", config.get("elves.from.file"));
            assertEquals("env-exchange", config.get("elves.mq.exchange"), "environment beats ZooKeeper");
            assertEquals("127.0.0.1", config.get("elves.mq.host"), "defaults stay underneath");
        }
    }

    @Test
    void liveChangeOfAComponentNodeNotifiesWithTheChangedKeys() throws Exception {
        writer.publish("openapi", Map.of("sign.window-seconds", 60, "keep", "same"));
        try (ElvesConfig config = zooKeeperBuilder(zk, root).components("openapi").build()) {
            BlockingQueue<Set<String>> changes = new LinkedBlockingQueue<>();
            Map<String, String> seenByListener = new HashMap<>();
            config.onChange(keys -> {
                seenByListener.put("value", config.get("elves.openapi.sign.window-seconds"));
                changes.add(keys);
            });

            writer.merge("openapi", Map.of("sign.window-seconds", 30, "added", "yes"));

            Set<String> changed = changes.poll(10, TimeUnit.SECONDS);
            assertEquals(Set.of("elves.openapi.sign.window-seconds", "elves.openapi.added"), changed);
            assertEquals("30", seenByListener.get("value"), "listener sees the new value");
            assertEquals(30, config.getInt("elves.openapi.sign.window-seconds", 0));
            assertEquals("same", config.get("elves.openapi.keep"));
        }
    }

    @Test
    void nodeCreatedAfterStartAndThenDeletedIsFollowed() throws Exception {
        try (ElvesConfig config = zooKeeperBuilder(zk, root).components("cron").build()) {
            assertNull(config.get("elves.cron.enabled"));
            BlockingQueue<Set<String>> changes = new LinkedBlockingQueue<>();
            config.onChange(changes::add);

            writer.publish("cron", Map.of("enabled", true));
            assertEquals(Set.of("elves.cron.enabled"), changes.poll(10, TimeUnit.SECONDS));
            assertTrue(config.getBoolean("elves.cron.enabled", false));

            writer.publish(null, Map.of("timeout", 12));
            assertEquals(Set.of("elves.timeout"), changes.poll(10, TimeUnit.SECONDS));
            assertEquals(12, config.getInt("elves.timeout", 0));

            admin.delete().forPath(root + "/cron");
            assertEquals(Set.of("elves.cron.enabled"), changes.poll(10, TimeUnit.SECONDS));
            assertNull(config.get("elves.cron.enabled"));
            // the global node was deleted with nothing else: the default comes back
            admin.delete().forPath(root);
            assertEquals(Set.of("elves.timeout"), changes.poll(10, TimeUnit.SECONDS));
            assertEquals(90, config.getInt("elves.timeout", 0));
        }
    }

    @Test
    void malformedNodeKeepsTheLastGoodValuesAndIsReported() throws Exception {
        writer.publish("queue", Map.of("batch", 10));
        try (ElvesConfig config = zooKeeperBuilder(zk, root).components("queue").build()) {
            assertEquals(Map.of(), config.problems());
            admin.setData().forPath(root + "/queue", "{\"batch\": 20, oops".getBytes(StandardCharsets.UTF_8));
            await("the malformed node to be reported", () -> config.problems().containsKey(root + "/queue"));
            assertEquals(10, config.getInt("elves.queue.batch", 0));
            assertTrue(config.problems().get(root + "/queue").contains("not valid JSON"));

            // merging into a malformed node is refused rather than replacing an operator's text
            assertThrows(ConfigException.class, () -> writer.merge("queue", Map.of("batch", 1)));

            writer.publish("queue", Map.of("batch", 30));
            await("the repaired node to apply", () -> config.getInt("elves.queue.batch", 0) == 30);
            assertEquals(Map.of(), config.problems());
        }
    }

    @Test
    void mergeKeepsTypesAndRemovesKeysGivenNull() {
        writer.publish("heartbeat", Map.of("interval", 60, "enabled", true, "old", "x"));
        Map<String, Object> changes = new HashMap<>();
        changes.put("old", null);
        changes.put("elves.heartbeat.port", 11102);
        writer.merge("heartbeat", changes);
        assertEquals(Map.of("interval", "60", "enabled", "true", "port", "11102"), writer.read("heartbeat"));
        String text = new String(readRaw(root + "/heartbeat"), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"interval\" : 60") && text.contains("\"enabled\" : true"), text);
    }

    @Test
    void publishIfAbsentSeedsOnlyEmptyNodes() throws Exception {
        assertTrue(writer.publishIfAbsent(null, Map.of("timeout", 90)));
        assertFalse(writer.publishIfAbsent(null, Map.of("timeout", 1)));
        assertEquals(Map.of("timeout", "90"), writer.read(null));
        admin.create().forPath(root + "/dashboard", new byte[0]);
        assertTrue(writer.publishIfAbsent("dashboard", Map.of("port", 9093)));
        assertEquals(Map.of("port", "9093"), writer.read("dashboard"));
    }

    @Test
    void configPublishWritesThroughItsOwnClient() {
        try (ElvesConfig config = zooKeeperBuilder(zk, root).components("supervisor").build()) {
            config.publish("supervisor", Map.of("port", 9092));
            await("own publish to apply", () -> config.getInt("elves.supervisor.port", 0) == 9092);
            assertEquals(List.of("supervisor"), config.components());
        }
    }

    @Test
    void sharedClientIsUsedAndNotClosed() {
        writer.publish(null, Map.of("timeout", 7));
        try (ElvesConfig config = TestSupport.isolatedBuilder()
                .override(ConfigKeys.ZOOKEEPER_ROOT, root)
                .zookeeper(admin)
                .build()) {
            assertEquals(7, config.getInt("elves.timeout", 0));
        }
        assertTrue(admin.getZookeeperClient().isConnected(), "the shared client stays open");
    }

    @Test
    void unreachableZooKeeperFailsClearlyWithinTheBound() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long start = System.nanoTime();
        ConfigException e = assertThrows(ConfigException.class, () -> TestSupport.isolatedBuilder()
                .override(ConfigKeys.ZOOKEEPER_CONNECT, "127.0.0.1:" + closedPort)
                .override(ConfigKeys.ZOOKEEPER_CONNECT_TIMEOUT_MS, 500)
                .build());
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
        assertTrue(e.getMessage().contains(ConfigKeys.ZOOKEEPER_CONNECT), e.getMessage());
        assertTrue(elapsedMs < 5000, "took " + elapsedMs + " ms");
    }

    private static byte[] readRaw(String path) {
        try {
            return admin.getData().forPath(path);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

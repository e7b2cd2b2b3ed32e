package org.elves.config;

import static org.elves.config.TestSupport.await;
import static org.elves.config.TestSupport.uniqueRoot;
import static org.elves.config.TestSupport.zooKeeperBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ephemeral instance nodes: appear on register, vanish on close, come back after a lost session. */
class InstanceRegistryTest {
    private static EmbeddedZooKeeper zk;
    private static CuratorFramework observer;

    @BeforeAll
    static void startServer() {
        // short ticks so an expired session is reaped in about a second
        zk = EmbeddedZooKeeper.builder().tickTimeMs(100).start();
        observer = TestSupport.client(zk);
    }

    @AfterAll
    static void stopServer() {
        observer.close();
        zk.close();
    }

    @Test
    void registrationAppearsWithItsDataAndDisappearsOnClose() throws Exception {
        String root = uniqueRoot();
        InstanceRegistry seen = new InstanceRegistry(observer, root);
        try (ElvesConfig config = zooKeeperBuilder(zk, root).components("scheduler").build()) {
            InstanceRegistration registration = config
                    .registerInstance("scheduler", "host-a:10101", LocalInstance.data("1.2.3", 10101))
                    .orElseThrow();
            assertEquals(root + "/scheduler/instances/host-a:10101", registration.path());

            List<Instance> live = seen.instances("scheduler");
            assertEquals(1, live.size());
            assertEquals("host-a:10101", live.get(0).id());
            Map<String, Object> data = live.get(0).data();
            assertEquals("1.2.3", data.get("version"));
            assertEquals(10101, data.get("port"));
            assertEquals(ProcessHandle.current().pid(), ((Number) data.get("pid")).longValue());
            assertTrue(data.containsKey("host") && data.containsKey("startTime"), data.toString());

            Stat stat = observer.checkExists().forPath(registration.path());
            assertNotEquals(0, stat.getEphemeralOwner(), "instance node is ephemeral");
            // parents are plain persistent nodes, not containers that ZooKeeper would reap
            // (taking the component's config with them) once the last instance leaves
            assertEquals(0, observer.checkExists().forPath(root + "/scheduler").getEphemeralOwner());
            assertEquals(0, observer.checkExists().forPath(root + "/scheduler/instances").getEphemeralOwner());

            registration.close();
            assertEquals(List.of(), seen.instances("scheduler"));
        }
    }

    @Test
    void closingTheConfigRemovesItsRegistrations() {
        String root = uniqueRoot();
        InstanceRegistry seen = new InstanceRegistry(observer, root);
        ElvesConfig config = zooKeeperBuilder(zk, root).components("queue").build();
        config.registerInstance("queue", "h:1", Map.of("version", "x"));
        config.registerInstance("queue", "h:2", Map.of("version", "x"));
        assertEquals(List.of("h:1", "h:2"), seen.instances("queue").stream().map(Instance::id).toList());
        config.close();
        assertEquals(List.of(), seen.instances("queue"));
    }

    @Test
    void instancesOfAnUnknownComponentIsEmpty() {
        assertEquals(List.of(), new InstanceRegistry(observer, uniqueRoot()).instances("nobody"));
    }

    @Test
    void badInstanceIdIsRejected() {
        InstanceRegistry registry = new InstanceRegistry(observer, uniqueRoot());
        assertThrows(ConfigException.class, () -> registry.register("queue", "a/b", Map.of()));
        assertThrows(ConfigException.class, () -> registry.register("queue", "", Map.of()));
    }

    @Test
    void nodeIsRecreatedAfterTheSessionExpires() throws Exception {
        String root = uniqueRoot();
        try (ElvesConfig config = zooKeeperBuilder(zk, root)
                .override(ConfigKeys.ZOOKEEPER_SESSION_TIMEOUT_MS, 1000)
                .components("heartbeat")
                .build()) {
            CuratorFramework client = config.zookeeper().orElseThrow();
            InstanceRegistration registration = config
                    .registerInstance("heartbeat", LocalInstance.id(11102), LocalInstance.data("dev", 11102))
                    .orElseThrow();
            long oldSession = client.getZookeeperClient().getZooKeeper().getSessionId();
            assertEquals(oldSession, observer.checkExists().forPath(registration.path()).getEphemeralOwner());

            ZooKeeper handle = client.getZookeeperClient().getZooKeeper();
            handle.getTestable().injectSessionExpiration();

            await("the instance node to belong to a new session", Duration.ofSeconds(15), () -> {
                try {
                    Stat stat = observer.checkExists().forPath(registration.path());
                    long current = client.getZookeeperClient().getZooKeeper().getSessionId();
                    return stat != null && current != oldSession && stat.getEphemeralOwner() == current;
                } catch (Exception e) {
                    return false;
                }
            });

            // the config watches survived the new session too
            config.publish("heartbeat", Map.of("interval", 5));
            await("config change after the new session", () -> config.getInt("elves.heartbeat.interval", 0) == 5);
        }
    }
}

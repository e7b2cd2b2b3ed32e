package org.elves.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperTest {
    @TempDir
    Path dir;

    @Test
    void persistentDataDirectoryKeepsDataAcrossARestartOnTheSamePort() throws Exception {
        Path data = dir.resolve("zk-data");
        int port;
        try (EmbeddedZooKeeper first = EmbeddedZooKeeper.builder().dataDirectory(data).start()) {
            port = first.port();
            try (CuratorFramework client = TestSupport.client(first)) {
                new ZooKeeperConfigWriter(client, "/elves").publish("openapi", Map.of("port", 9091));
            }
        }
        assertTrue(Files.isDirectory(data), "persistent data directory is kept");

        try (EmbeddedZooKeeper second = EmbeddedZooKeeper.builder().dataDirectory(data).port(port).start()) {
            assertEquals("127.0.0.1:" + port, second.connectString());
            try (CuratorFramework client = TestSupport.client(second)) {
                assertEquals(Map.of("port", "9091"), new ZooKeeperConfigWriter(client, "/elves").read("openapi"));
            }
        }
    }

    @Test
    void randomPortServersAreIndependentAndCleanUp() {
        Path temporary;
        try (EmbeddedZooKeeper a = EmbeddedZooKeeper.startOnRandomPort();
                EmbeddedZooKeeper b = EmbeddedZooKeeper.startOnRandomPort()) {
            assertNotEquals(a.port(), b.port());
            temporary = a.dataDirectory();
            assertTrue(Files.isDirectory(temporary));
        }
        assertFalse(Files.exists(temporary), "temporary data directory is deleted on close");
    }

    @Test
    void takenPortFailsFastWithAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            long start = System.nanoTime();
            ConfigException e = assertThrows(ConfigException.class,
                    () -> EmbeddedZooKeeper.builder().port(taken.getLocalPort()).start());
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
            assertTrue(System.nanoTime() - start < 2_000_000_000L, "failed fast");
        }
    }
}

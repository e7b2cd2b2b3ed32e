package org.elves.config;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;

/** Shared helpers: bounded waiting, isolated builders and plain clients for checking ZooKeeper. */
final class TestSupport {
    private static final AtomicInteger ROOTS = new AtomicInteger();

    private TestSupport() {
    }

    /** A fresh root per test, so tests sharing one server do not see each other's nodes. */
    static String uniqueRoot() {
        return "/elves-test-" + ROOTS.incrementAndGet();
    }

    /** A builder that ignores this machine's real environment and system properties. */
    static ElvesConfig.Builder isolatedBuilder() {
        return ElvesConfig.builder().environment(Map.of()).systemProperties(new Properties());
    }

    static ElvesConfig.Builder zooKeeperBuilder(EmbeddedZooKeeper zk, String root) {
        return isolatedBuilder()
                .override(ConfigKeys.ZOOKEEPER_CONNECT, zk.connectString())
                .override(ConfigKeys.ZOOKEEPER_ROOT, root);
    }

    static CuratorFramework client(EmbeddedZooKeeper zk) {
        CuratorFramework client = CuratorFrameworkFactory.newClient(zk.connectString(), 5000, 5000, new RetryOneTime(100));
        client.start();
        return client;
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(10), condition);
    }

    static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
        fail("timed out after " + limit.toMillis() + " ms waiting for " + what);
    }
}

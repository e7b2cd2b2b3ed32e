package org.elves.config;

import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Opens the Curator client described by the {@code elves.zookeeper.*} settings. */
final class ZooKeeperClients {
    private ZooKeeperClients() {
    }

    /**
     * A started client that is connected, or a {@link ConfigException} after the bounded wait:
     * a component must not start half-configured, and must not hang at start either.
     */
    static CuratorFramework connect(String connectString, int sessionTimeoutMs, int connectTimeoutMs) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMs)
                // Curator wants its connection timeout within the session timeout; the longer
                // start-up bound is enforced by the wait below
                .connectionTimeoutMs(Math.min(connectTimeoutMs, sessionTimeoutMs))
                // as the original: exponential backoff from 1 s, 3 retries per operation
                .retryPolicy(new ExponentialBackoffRetry(1000, 3))
                // Curator's default data for nodes created without data is this host's IP
                // address, which would then be read back as a config entry
                .defaultData(new byte[0])
                .build();
        client.start();
        boolean connected;
        try {
            connected = client.blockUntilConnected(connectTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new ConfigException("Interrupted while connecting to ZooKeeper at " + connectString, e);
        }
        if (!connected) {
            client.close();
            throw new ConfigException("Cannot connect to ZooKeeper at '" + connectString + "' within "
                    + connectTimeoutMs + " ms (" + ConfigKeys.ZOOKEEPER_CONNECT + ", "
                    + ConfigKeys.ZOOKEEPER_CONNECT_TIMEOUT_MS + "); leave " + ConfigKeys.ZOOKEEPER_CONNECT
                    + " empty to run without ZooKeeper");
        }
        return client;
    }
}

package org.elves.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single ZooKeeper server inside this JVM, for tests and the standalone mode. It is
 * Curator's {@link TestingServer} (a thin wrapper around ZooKeeper's own server classes that
 * also starts the container reaper) configured for a fixed or random port and an optional
 * persistent data directory. It listens on 127.0.0.1 unless told otherwise.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

    private final TestingServer server;
    private final String connectHost;
    private final Path dataDirectory;

    private EmbeddedZooKeeper(TestingServer server, String connectHost, Path dataDirectory) {
        this.server = server;
        this.connectHost = connectHost;
        this.dataDirectory = dataDirectory;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A throw-away server on a free port whose data is deleted on close: what tests want. */
    public static EmbeddedZooKeeper startOnRandomPort() {
        return builder().start();
    }

    public String connectString() {
        return connectHost + ":" + port();
    }

    public int port() {
        return server.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server; a persistent data directory is kept, a temporary one deleted. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("Embedded ZooKeeper on port {} did not close cleanly: {}", port(), e.getMessage());
        }
    }

    public static final class Builder {
        private int port;
        private Path dataDirectory;
        private String bindAddress = "127.0.0.1";
        private int tickTimeMs = 2000;
        private int maxClientConnections;

        private Builder() {
        }

        /** The client port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new ConfigException("ZooKeeper port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Keep data here across restarts; without it a temporary directory is used and deleted on close. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /** Address to listen on; 127.0.0.1 by default, {@code 0.0.0.0} to serve other machines. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        /**
         * ZooKeeper's tick (default 2000 ms, ZooKeeper's usual); sessions may last from 2 to 20
         * ticks. Tests lower it so session expiry takes a second, not half a minute.
         */
        public Builder tickTimeMs(int tickTimeMs) {
            this.tickTimeMs = tickTimeMs;
            return this;
        }

        /** Connections allowed from one address; 0 (the default) means no limit. */
        public Builder maxClientConnections(int maxClientConnections) {
            this.maxClientConnections = maxClientConnections;
            return this;
        }

        public EmbeddedZooKeeper start() {
            boolean persistent = dataDirectory != null;
            Path directory = persistent ? dataDirectory : temporaryDirectory();
            if (persistent) {
                createDirectory(directory);
            }
            // ZooKeeper refuses port 0 together with a bind address, so a free port is picked
            // here; for a fixed port, ZooKeeper itself would retry a taken port and then wait
            // for a start that never comes, so probing first gives an immediate, clear error
            int clientPort = probePort(port);
            InstanceSpec spec = new InstanceSpec(directory.toFile(), clientPort, 0, 0, !persistent, -1, tickTimeMs,
                    maxClientConnections, Map.of("clientPortAddress", bindAddress), null);
            try {
                TestingServer server = new TestingServer(spec, true);
                String connectHost = isWildcard(bindAddress) ? "127.0.0.1" : bindAddress;
                EmbeddedZooKeeper zooKeeper = new EmbeddedZooKeeper(server, connectHost, directory);
                LOG.info("Embedded ZooKeeper listening on {}:{}, data in {}{}", bindAddress, zooKeeper.port(),
                        directory, persistent ? "" : " (temporary)");
                return zooKeeper;
            } catch (Exception e) {
                throw new ConfigException("Cannot start embedded ZooKeeper on " + bindAddress + ":" + clientPort
                        + " with data in " + directory + ": " + e.getMessage(), e);
            }
        }

        /** Binds and releases the port (0: any free one) and returns it. */
        private int probePort(int wanted) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), wanted));
                return probe.getLocalPort();
            } catch (IOException e) {
                throw new ConfigException("Cannot start embedded ZooKeeper: " + bindAddress + ":" + wanted
                        + " is not available (" + e.getMessage() + ")", e);
            }
        }

        private static boolean isWildcard(String address) {
            return address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0");
        }

        private static Path temporaryDirectory() {
            try {
                return Files.createTempDirectory("elves-zookeeper-");
            } catch (IOException e) {
                throw new ConfigException("Cannot create a temporary directory for embedded ZooKeeper: "
                        + e.getMessage(), e);
            }
        }

        private static void createDirectory(Path directory) {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new ConfigException("Cannot create ZooKeeper data directory " + directory + ": "
                        + e.getMessage(), e);
            }
        }
    }
}

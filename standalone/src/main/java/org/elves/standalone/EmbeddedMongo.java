package org.elves.standalone;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.elves.protocol.FilePaths;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MongoDB for the standalone mode and tests: mongo-java-server speaks the real wire protocol, so
 * the center's MongoDB client cannot tell it from a real server; the H2 backend keeps the data
 * in one file across restarts.
 */
public final class EmbeddedMongo implements AutoCloseable {
    private final MongoServer server;
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /** A server keeping its data in {@code file} (created if absent); port 0 picks a free one. */
    public static EmbeddedMongo persistent(Path file, int port) throws Exception {
        Files.createDirectories(FilePaths.parent(file));
        MongoServer server = new MongoServer(new LeanH2Backend(file.toAbsolutePath().toString()));
        server.bind("127.0.0.1", port);
        return new EmbeddedMongo(server, server.getLocalAddress());
    }

    /** A server whose data lives only as long as it runs (tests). */
    public static EmbeddedMongo inMemory() {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        return new EmbeddedMongo(server, server.getLocalAddress());
    }

    public String uri() {
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    /** Its server threads are not daemons: it must be closed or the JVM never exits. */
    @Override
    public void close() {
        server.shutdownNow();
    }
}

package org.elves.agent;

import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.elves.agent.config.Endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/** A real Thrift server on loopback for the center side of a test (scheduler, heartbeat, processor). */
public final class ThriftTestServer implements AutoCloseable {
    private final TThreadPoolServer server;
    private final TServerSocket socket;
    private final Thread thread;

    private ThriftTestServer(TServerSocket socket, TProcessor processor) {
        this.socket = socket;
        server = new TThreadPoolServer(new TThreadPoolServer.Args(socket).processor(processor)
                .protocolFactory(new TBinaryProtocol.Factory()).minWorkerThreads(1).maxWorkerThreads(8)
                .stopTimeoutVal(1).stopTimeoutUnit(TimeUnit.SECONDS));
        thread = new Thread(server::serve, "test-thrift-server");
        thread.setDaemon(true);
        thread.start();
    }

    /** Serves on 127.0.0.1 at a free port. */
    public static ThriftTestServer start(TProcessor processor) throws Exception {
        return start(processor, 0);
    }

    public static ThriftTestServer start(TProcessor processor, int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        try {
            return new ThriftTestServer(new TServerSocket(s, 5000), processor);
        } catch (TTransportException e) {
            s.close();
            throw e;
        }
    }

    public int port() {
        return socket.getServerSocket().getLocalPort();
    }

    public Endpoint endpoint() {
        return new Endpoint("127.0.0.1", port());
    }

    /** A port that was free a moment ago (for "server not there yet" cases). */
    public static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
        socket.close();
        thread.join(3000);
    }
}

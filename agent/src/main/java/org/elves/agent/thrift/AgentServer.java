package org.elves.agent.thrift;

import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.elves.protocol.thrift.AgentService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.elves.agent.DaemonThreads;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@link AgentService} on one address: binary protocol, unframed by default as the
 * original agent, one thread per open connection, threads created on demand and dropped when
 * idle (one JVM may host a hundred agents).
 */
public final class AgentServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);
    private static final int BACKLOG = 128;
    private static final int IDLE_THREAD_SECONDS = 30;

    private final GuardedServerSocket socket;
    private final TThreadPoolServer server;
    private final Thread acceptor;
    private final int port;

    /**
     * Binds and starts serving; the port accepts connections when this returns.
     *
     * @param name a label for threads and logs, e.g. the agent's ip
     * @throws IOException when the address cannot be bound (message names it)
     */
    public AgentServer(String name, String bindAddress, int port, PeerAllowList allowList, boolean framed,
                       int maxConnections, int idleTimeoutMillis, AgentService.Iface handler) throws IOException {
        ServerSocket bound = new ServerSocket();
        try {
            bound.setReuseAddress(true);
            bound.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), BACKLOG);
        } catch (IOException e) {
            bound.close();
            throw new IOException("agent " + name + ": cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
        this.port = bound.getLocalPort();
        try {
            socket = new GuardedServerSocket(bound, allowList, idleTimeoutMillis, name);
        } catch (TTransportException e) {
            bound.close();
            throw new IOException("agent " + name + ": " + e.getMessage(), e);
        }
        ThreadPoolExecutor connections = new ThreadPoolExecutor(0, maxConnections, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.named("elves-agent-" + name + "-conn"));
        TThreadPoolServer.Args args = new TThreadPoolServer.Args(socket)
                .processor(new AgentService.Processor<>(handler))
                .protocolFactory(new TBinaryProtocol.Factory())
                .executorService(connections)
                .stopTimeoutVal(1)
                .stopTimeoutUnit(TimeUnit.SECONDS);
        if (framed) {
            args.transportFactory(new TFramedTransport.Factory());
        }
        server = new TThreadPoolServer(args);
        acceptor = DaemonThreads.named("elves-agent-" + name + "-accept").newThread(server::serve);
        acceptor.start();
        awaitServing();
        LOG.debug("agent {} serving on {}:{} ({})", name, bindAddress, this.port, framed ? "framed" : "unframed");
    }

    /**
     * TThreadPoolServer clears its stop flag when serve() begins, so a stop() that comes earlier
     * is lost and the acceptor spins on the closed socket: closing must wait until serving began.
     */
    private void awaitServing() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.isServing()) {
            if (!acceptor.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IOException("Thrift server on port " + port + " did not start");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    public int port() {
        return port;
    }

    /** Stops accepting, ends open connections and waits briefly for the acceptor to end. */
    @Override
    public void close() {
        server.stop();
        socket.close();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.closeConnections();
    }
}

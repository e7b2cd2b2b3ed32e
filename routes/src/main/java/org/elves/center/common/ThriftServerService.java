package org.elves.center.common;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A center-side Thrift server (Heartbeat on 11102, Scheduler on 10101) with the CamelContext's
 * lifecycle. Plain libthrift because agents speak the binary protocol on unframed sockets, which
 * camel-thrift does not serve.
 * <p>
 * Agents keep their connections open between calls, so a worker thread is usually blocked reading
 * an idle socket: stopping does not wait for those (libthrift's default waits up to 60 s for its
 * workers, which made a center ignore SIGTERM for that long). A call cut off by the stop fails on
 * the agent's side, which reports again.
 */
public final class ThriftServerService extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ThriftServerService.class);

    private final String name;
    private final String host;
    private final int port;
    private final TProcessor processor;
    private final int maxThreads;
    private TServer server;
    private ExecutorService workers;
    private Thread thread;
    /** volatile: written by the thread that starts the service, read by any that calls port() */
    private volatile int boundPort;

    public ThriftServerService(String name, String host, int port, TProcessor processor, int maxThreads) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.processor = processor;
        this.maxThreads = maxThreads;
    }

    @Override
    protected void doStart() throws Exception {
        TServerSocket socket;
        try {
            socket = new TServerSocket(new TServerSocket.ServerSocketTransportArgs()
                    .bindAddr(new InetSocketAddress(host, port)).backlog(1024));
        } catch (TTransportException e) {
            throw new IllegalStateException(name + " cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        boundPort = socket.getServerSocket().getLocalPort();
        workers = workerPool();
        server = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                .processor(processor)
                .protocolFactory(new TBinaryProtocol.Factory())
                .executorService(workers)
                .stopTimeoutVal(1)
                .stopTimeoutUnit(TimeUnit.SECONDS));
        CountDownLatch serving = new CountDownLatch(1);
        server.setServerEventHandler(new ServingSignal(serving));
        thread = new Thread(server::serve, name + "-thrift");
        thread.setDaemon(true);
        thread.start();
        if (!serving.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " Thrift server did not start on " + host + ":" + boundPort);
        }
        LOG.info("{} Thrift server listening on {}:{}", name, host, boundPort);
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (thread != null) {
            thread.join(2000);
        }
    }

    /** As libthrift's own pool (one thread per open connection, up to maxThreads), with daemon threads. */
    private ExecutorService workerPool() {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(1, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-thrift-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return boundPort;
    }

    private record ServingSignal(CountDownLatch latch) implements org.apache.thrift.server.TServerEventHandler {
        @Override
        public void preServe() {
            latch.countDown();
        }

        @Override
        public org.apache.thrift.server.ServerContext createContext(org.apache.thrift.protocol.TProtocol in,
                                                                   org.apache.thrift.protocol.TProtocol out) {
            return null;
        }

        @Override
        public void deleteContext(org.apache.thrift.server.ServerContext ctx,
                                  org.apache.thrift.protocol.TProtocol in, org.apache.thrift.protocol.TProtocol out) {
        }

        @Override
        public void processContext(org.apache.thrift.server.ServerContext ctx,
                                   org.apache.thrift.transport.TTransport in, org.apache.thrift.transport.TTransport out) {
        }
    }
}

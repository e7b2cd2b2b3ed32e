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
import java.util.concurrent.TimeUnit;

/**
 * A center-side Thrift server (Heartbeat on 11102, Scheduler on 10101) with the CamelContext's
 * lifecycle. Plain libthrift because agents speak the binary protocol on unframed sockets, which
 * camel-thrift does not serve.
 */
public final class ThriftServerService extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ThriftServerService.class);

    private final String name;
    private final String host;
    private final int port;
    private final TProcessor processor;
    private final int maxThreads;
    private TServer server;
    private Thread thread;
    private int boundPort;

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
        server = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                .processor(processor)
                .protocolFactory(new TBinaryProtocol.Factory())
                .minWorkerThreads(1)
                .maxWorkerThreads(maxThreads));
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
        if (thread != null) {
            thread.join(5000);
        }
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

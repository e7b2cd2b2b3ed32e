package org.elves.center.rpc;

import com.rabbitmq.client.ShutdownSignalException;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This process's link to RabbitMQ (bean {@code brokerLink}): up since when, or down. The connection
 * factory's listener keeps it current. While it is down, rpc.call and rpc.cast refuse at once with
 * [503.2] rather than each trying the dead connection, and the link reconnects every
 * {@code elves.mq.recovery-ms} on its own thread, so a process that only calls (OpenAPI) notices
 * the broker's return without a request paying for the attempt.
 */
public final class BrokerLink extends ServiceSupport implements ConnectionListener {
    /** Exchange property: which connection a call left on, to tell a lost link from a slow callee. */
    public static final String SENT_ON_LINK = "ElvesSentOnLink";
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLink.class);

    private final AbstractConnectionFactory factory;
    private final long reconnectMs;
    private final AtomicLong upSince = new AtomicLong();
    /** Counts the connections made: tells one from the next even within a millisecond. */
    private final AtomicLong connections = new AtomicLong();
    private volatile String lastProblem = "not connected yet";
    private ScheduledExecutorService reconnector;
    private volatile boolean stopping;

    /** The link owns the connection: it closes it when the CamelContext stops. */
    public BrokerLink(AbstractConnectionFactory factory, long reconnectMs) {
        this.factory = factory;
        this.reconnectMs = reconnectMs;
    }

    /** Whether this process has a working connection to RabbitMQ now. */
    public boolean up() {
        return upSince.get() > 0;
    }

    /** Epoch milliseconds when the current connection was established; 0 while there is none. */
    public long upSinceMs() {
        return upSince.get();
    }

    /**
     * Before an rpc.call or rpc.cast: [503.2] at once when the broker is unreachable; otherwise notes
     * on the exchange which connection the message leaves on.
     */
    public void requireUp(Exchange exchange) {
        if (!up()) {
            throw unavailable();
        }
        exchange.setProperty(SENT_ON_LINK, connections.get());
    }

    /** Whether the connection a call left on (see {@link #requireUp}) was lost since. */
    public boolean lostSince(Exchange exchange) {
        Long sentOn = exchange.getProperty(SENT_ON_LINK, Long.class);
        return sentOn != null && (!up() || sentOn != connections.get());
    }

    public ElvesException unavailable() {
        return new ElvesException(ErrorCode.BROKER_UNAVAILABLE, "no connection to RabbitMQ at "
                + factory.getHost() + ":" + factory.getPort() + " (" + lastProblem + "); reconnecting every "
                + reconnectMs + " ms");
    }

    @Override
    public void onCreate(Connection connection) {
        if (upSince.compareAndSet(0, System.currentTimeMillis())) {
            connections.incrementAndGet();
            LOG.info("RabbitMQ connection established ({}:{})", factory.getHost(), factory.getPort());
        }
    }

    @Override
    public void onClose(Connection connection) {
        down("connection closed");
    }

    @Override
    public void onShutDown(ShutdownSignalException signal) {
        // our own close at stop is initiated by the application; anything else is the broker or network
        if (!signal.isInitiatedByApplication()) {
            down(signal.getMessage());
        }
    }

    @Override
    public void onFailed(Exception exception) {
        lastProblem = exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
        LOG.debug("RabbitMQ connection attempt failed: {}", lastProblem);
    }

    @Override
    protected void doStart() {
        stopping = false;
        reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "elves-mq-reconnect");
            t.setDaemon(true);
            return t;
        });
        reconnector.scheduleWithFixedDelay(this::reconnectIfDown, reconnectMs, reconnectMs, TimeUnit.MILLISECONDS);
    }

    /** Stops reconnecting first, so the connection closed next is not reopened. */
    @Override
    protected void doStop() throws InterruptedException {
        stopping = true;
        if (reconnector != null) {
            reconnector.shutdownNow();
            reconnector.awaitTermination(reconnectMs, TimeUnit.MILLISECONDS);
        }
        factory.destroy();
    }

    private void down(String why) {
        lastProblem = why;
        if (upSince.getAndSet(0) > 0 && !stopping) {
            LOG.warn("RabbitMQ connection lost ({}); rpc calls and casts fail with [503.2] until it is back", why);
        }
    }

    /** A dead cached connection is replaced when a channel is asked of it; onCreate then marks the link up. */
    private void reconnectIfDown() {
        if (up() || stopping) {
            return;
        }
        try {
            factory.createConnection().createChannel(false).close();
        } catch (Exception e) {
            // onFailed noted why; the next round tries again
            LOG.trace("reconnect failed", e);
        }
    }
}

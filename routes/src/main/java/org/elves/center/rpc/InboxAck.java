package org.elves.center.rpc;

import com.rabbitmq.client.Channel;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Settles an inbox message once its handler finished (bean {@code inboxAck}, inboxes with
 * {@code acknowledgeMode: MANUAL}). spring-rabbitmq with {@code asyncConsumer: true} returns from
 * the listener as soon as the route goes asynchronous (a {@code threads} step, an rpc.call), and
 * the container's AUTO mode then acknowledged a message whose work had not even started: a process
 * killed at that moment lost it. Now a message whose handler did not finish stays unacknowledged
 * and the broker hands it to the next consumer (or to the restarted process).
 *
 * <p>A cast whose handler must be retried ({@link RetryLater}, an infrastructure failure; rpc-serve
 * sets {@link #REQUEUE}) is put back on its queue after {@code elves.mq.requeue-delay-ms}, neither
 * left unacknowledged on a live channel (where nothing would ever redeliver it) nor retried in a hot
 * loop. The pause runs on a timer, not on the consumer's thread.
 */
public final class InboxAck implements AutoCloseable {
    /** Exchange property: the delivery tag, kept before rpc-serve clears the headers. */
    public static final String TAG = "ElvesDeliveryTag";
    /** Exchange property set by rpc-serve: the reason to put the message back instead of acknowledging it. */
    public static final String REQUEUE = "ElvesRequeue";
    private static final String CHANNEL = "CamelSpringRabbitmqChannel";
    private static final Logger LOG = LoggerFactory.getLogger(InboxAck.class);

    private final long requeueDelayMs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "elves-requeue");
        t.setDaemon(true);
        return t;
    });

    public InboxAck(long requeueDelayMs) {
        this.requeueDelayMs = requeueDelayMs;
    }

    /** The inbox route's last step: acknowledges the message, or requeues it later when rpc-serve asked. */
    public void settle(Exchange exchange) {
        Long tag = exchange.getProperty(TAG, Long.class);
        Channel channel = exchange.getProperty(CHANNEL, Channel.class);
        if (tag == null || channel == null) {
            return;
        }
        String requeue = exchange.getProperty(REQUEUE, String.class);
        if (requeue == null) {
            settle(channel, tag, false);
            return;
        }
        LOG.info("message put back on its queue for a retry in {} ms: {}", requeueDelayMs, requeue);
        timer.schedule(() -> settle(channel, tag, true), requeueDelayMs, TimeUnit.MILLISECONDS);
    }

    private static void settle(Channel channel, long tag, boolean requeue) {
        try {
            if (requeue) {
                channel.basicNack(tag, false, true);
            } else {
                channel.basicAck(tag, false);
            }
        } catch (Exception e) {
            // the channel closed meanwhile: the broker redelivers the message, handlers tolerate repeats
            LOG.debug("message {} not settled: {}", tag, e.toString());
        }
    }

    /** Pending requeues are dropped: their channels close with the process and the broker redelivers. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}

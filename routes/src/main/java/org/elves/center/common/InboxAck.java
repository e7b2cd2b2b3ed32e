package org.elves.center.common;

import com.rabbitmq.client.Channel;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges an inbox message once its handler finished (inboxes with
 * {@code acknowledgeMode: MANUAL}). spring-rabbitmq with {@code asyncConsumer: true} returns from
 * the listener as soon as the route goes asynchronous (a {@code threads} step, an rpc.call), and
 * the container's AUTO mode then acknowledged a message whose work had not even started: a process
 * killed at that moment lost it. Now a message whose handler did not finish stays unacknowledged
 * and the broker hands it to the next consumer (or to the restarted process).
 */
public final class InboxAck {
    /** Exchange property: the delivery tag, kept before rpc-serve clears the headers. */
    public static final String TAG = "ElvesDeliveryTag";
    private static final String CHANNEL = "CamelSpringRabbitmqChannel";
    private static final Logger LOG = LoggerFactory.getLogger(InboxAck.class);

    private InboxAck() {
    }

    public static void ack(Exchange exchange) {
        Long tag = exchange.getProperty(TAG, Long.class);
        Channel channel = exchange.getProperty(CHANNEL, Channel.class);
        if (tag == null || channel == null) {
            return;
        }
        try {
            channel.basicAck(tag, false);
        } catch (Exception e) {
            // the channel closed meanwhile: the broker redelivers the message, handlers tolerate repeats
            LOG.debug("message {} not acknowledged: {}", tag, e.toString());
        }
    }
}

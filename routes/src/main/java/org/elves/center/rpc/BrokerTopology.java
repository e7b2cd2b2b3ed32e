package org.elves.center.rpc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything this process declares on RabbitMQ, in one place: the exchange, and the queue and
 * binding of each inbox it consumes (registered by {@link InboxContainers} as the inbox routes
 * start, before their consumers). All durable, so a broker restart keeps them and their persistent
 * messages; and declared again whenever a connection is made, because spring-amqp redeclares
 * nothing without a Spring ApplicationContext, and a broker that lost them (a reset, a new node, a
 * queue deleted by hand) would otherwise leave the consumers failing on "queue not present".
 */
public final class BrokerTopology implements ConnectionListener {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerTopology.class);
    /** An own queue without a consumer this long is deleted by the broker. */
    static final long OWN_QUEUE_EXPIRES_MS = 60_000;

    private final AmqpAdmin admin;
    private final Set<String> exchanges = ConcurrentHashMap.newKeySet();
    private final Map<String, Binding> inboxes = new ConcurrentHashMap<>();
    /** Queues of this process alone (broadcast to every instance), by name. */
    private final Map<String, OwnQueue> ownQueues = new ConcurrentHashMap<>();

    /** {@code admin} works on the same connection factory this listener is registered with. */
    public BrokerTopology(AmqpAdmin admin, String exchange) {
        this.admin = admin;
        this.exchanges.add(exchange);
    }

    /** An exchange this process publishes to without consuming from it (the Watcher's tap). */
    public void exchange(String exchange) {
        exchanges.add(exchange);
        try {
            admin.declareExchange(new TopicExchange(exchange, true, false));
        } catch (AmqpException e) {
            LOG.warn("exchange {} not declared now ({}); it is on the next connection", exchange, e.getMessage());
        }
    }

    /**
     * An inbox of this process: {@code queue} takes what {@code routingKey} matches on the topic
     * {@code exchange}. Declared now when the broker is reachable, else on the next connection.
     */
    public void inbox(String exchange, String queue, String routingKey) {
        exchanges.add(exchange);
        Binding binding = new Binding(queue, Binding.DestinationType.QUEUE, exchange, routingKey, null);
        inboxes.put(queue, binding);
        declareNow(exchange, queue, () -> declareInbox(binding));
    }

    /**
     * A queue of this process alone, for what every instance must hear (a broadcast): not
     * durable (a broker restart drops it, the next connection declares it again) and removed by
     * the broker a minute after its consumer went (a process killed leaves nothing behind for
     * long); its messages expire after {@code messageTtlMs}, so a stalled consumer holds no backlog.
     */
    public void ownQueue(String exchange, String queue, String routingKey, long messageTtlMs) {
        exchanges.add(exchange);
        OwnQueue own = new OwnQueue(
                new Queue(queue, false, false, false, Map.<String, Object>of("x-expires", OWN_QUEUE_EXPIRES_MS, "x-message-ttl", messageTtlMs)),
                new Binding(queue, Binding.DestinationType.QUEUE, exchange, routingKey, null));
        ownQueues.put(queue, own);
        declareNow(exchange, queue, () -> declareOwn(own));
    }

    /** Declares the exchange and a queue now if the broker is reachable; else the next connection does. */
    private void declareNow(String exchange, String queue, Runnable declareQueue) {
        try {
            admin.declareExchange(new TopicExchange(exchange, true, false));
            declareQueue.run();
        } catch (AmqpException e) {
            LOG.warn("queue {} not declared now ({}); it is on the next connection", queue, e.getMessage());
        }
    }

    /** The queues of this process's inboxes. */
    public Set<String> queues() {
        return Set.copyOf(inboxes.keySet());
    }

    /** Declares the exchanges, then every inbox queue and its binding. */
    public void declareAll() {
        exchanges.forEach(e -> admin.declareExchange(new TopicExchange(e, true, false)));
        inboxes.values().forEach(this::declareInbox);
        ownQueues.values().forEach(this::declareOwn);
    }

    @Override
    public void onCreate(Connection connection) {
        try {
            declareAll();
        } catch (AmqpException e) {
            // a failed declaration must not fail the connection: consumers retry, and so does the next connection
            LOG.error("could not declare the RabbitMQ exchange and inbox queues: {}", e.getMessage());
        }
    }

    private void declareOwn(OwnQueue own) {
        admin.declareQueue(own.queue());
        admin.declareBinding(own.binding());
    }

    private record OwnQueue(Queue queue, Binding binding) {
    }

    private void declareInbox(Binding binding) {
        declareDurable(binding.getDestination());
        admin.declareBinding(binding);
    }

    /**
     * Elves declared its queues non-durable until issue 11, and the broker refuses to declare an existing
     * queue with another durability (PRECONDITION_FAILED). An empty one is replaced by a durable one;
     * one holding messages is left in use (so they are not lost), and the operator told what to run.
     */
    private void declareDurable(String queue) {
        Queue durable = new Queue(queue, true, false, false);
        try {
            admin.declareQueue(durable);
        } catch (AmqpException e) {
            if (!RabbitUtils.isMismatchedQueueArgs(e)) {
                throw e;
            }
            QueueInformation existing = admin.getQueueInfo(queue);
            if (existing != null && existing.getMessageCount() == 0) {
                admin.deleteQueue(queue, false, true);
                admin.declareQueue(durable);
                LOG.info("queue {} was non-durable (an older Elves): replaced by a durable one", queue);
            } else {
                LOG.error("queue {} exists with other properties (non-durable, from an older Elves) and holds {} "
                        + "messages: it stays in use but a broker restart loses them. Once they are consumed, stop "
                        + "Elves and run: rabbitmqctl delete_queue {}", queue,
                        existing == null ? "?" : existing.getMessageCount(), queue);
            }
        }
    }
}

package org.elves.center.rpc;

import org.elves.protocol.TaskIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The declarer against the real RabbitMQ, in a namespace of its own (it only declares and deletes
 * its own queues): durable inboxes, declared again on a new connection, older non-durable queues.
 */
class BrokerTopologyTest {
    private final String prefix = "bt" + TaskIds.next().substring(0, 6).toLowerCase() + "-";
    private final String exchange = prefix + "elves";
    private final CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitAdmin admin = new RabbitAdmin(factory);
    private final BrokerTopology topology = new BrokerTopology(admin, exchange);

    @AfterEach
    void cleanUp() {
        topology.queues().forEach(admin::deleteQueue);
        admin.deleteExchange(exchange);
        factory.destroy();
    }

    @Test
    void inboxesAreDurableAndBoundToTheTopicExchange() {
        topology.inbox(exchange, prefix + "scheduler", "*.scheduler.#");
        assertDurable(prefix + "scheduler");
        new RabbitTemplate(factory).send(exchange, "openapi.scheduler.syncJob", new Message("x".getBytes(), new MessageProperties()));
        assertEquals(1, awaitMessages(prefix + "scheduler", 1), "routed by the binding");
    }

    @Test
    void aNewConnectionDeclaresWhatTheBrokerLost() {
        topology.inbox(exchange, prefix + "queue", "*.queue.#");
        // a broker reset or an operator's delete_queue
        admin.deleteQueue(prefix + "queue");
        admin.deleteExchange(exchange);
        assertNull(admin.getQueueInfo(prefix + "queue"));

        topology.onCreate(null);
        assertDurable(prefix + "queue");
        assertNotNull(admin.getQueueInfo(prefix + "queue"));
    }

    @Test
    void aProcessesOwnQueueHearsEveryBroadcastAndIsDeclaredAgainOnANewConnection() {
        String own = prefix + "heartbeat.beats.instance-1";
        String beats = exchange + ".heartbeats";
        topology.ownQueue(beats, own, "#", 30_000);
        try {
            new RabbitTemplate(factory).send(beats, "beats", new Message("batch".getBytes(), new MessageProperties()));
            assertEquals(1, awaitMessages(own, 1), "bound to the broadcast");
            // a broker restart drops a non-durable queue: the next connection declares it again
            admin.deleteQueue(own);
            topology.onCreate(null);
            assertNotNull(admin.getQueueInfo(own));
            // declared non-durable with an expiry: the broker refuses a durable declaration of it
            assertEquals(true, refusesDurable(own));
        } finally {
            admin.deleteQueue(own);
            admin.deleteExchange(beats);
        }
    }

    private boolean refusesDurable(String queue) {
        try {
            admin.declareQueue(new Queue(queue, true, false, false));
            return false;
        } catch (org.springframework.amqp.AmqpException e) {
            return true;
        }
    }

    @Test
    void anEmptyNonDurableQueueOfAnOlderElvesIsReplaced() {
        admin.declareQueue(new Queue(prefix + "cron", false, false, false));
        topology.inbox(exchange, prefix + "cron", "*.cron.#");
        assertDurable(prefix + "cron");
    }

    @Test
    void aNonDurableQueueHoldingMessagesIsKeptWithItsMessages() {
        admin.declareQueue(new Queue(prefix + "supervisor", false, false, false));
        new RabbitTemplate(factory).send("", prefix + "supervisor", new Message("x".getBytes(), new MessageProperties()));
        awaitMessages(prefix + "supervisor", 1);

        // no exception: the operator is told in the log, the queue stays in use
        topology.inbox(exchange, prefix + "supervisor", "*.supervisor.#");
        topology.onCreate(null);
        Properties kept = admin.getQueueProperties(prefix + "supervisor");
        assertEquals(1, kept.get(RabbitAdmin.QUEUE_MESSAGE_COUNT), "its message is still there");
    }

    private void assertDurable(String queue) {
        QueueInformation info = admin.getQueueInfo(queue);
        assertNotNull(info, queue + " exists");
        // a durable redeclaration is accepted only by a durable queue
        admin.declareQueue(new Queue(queue, true, false, false));
    }

    private int awaitMessages(String queue, int expected) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int count;
        do {
            QueueInformation info = admin.getQueueInfo(queue);
            count = info == null ? 0 : info.getMessageCount();
        } while (count < expected && System.nanoTime() < deadline);
        return count;
    }
}

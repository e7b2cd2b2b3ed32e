package org.elves.center.rpc;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.TaskIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Casts against the real RabbitMQ, on an exchange and queue of this test's own. */
class CastPublisherTest {
    private static final long RETRY_MS = 400;
    private final String prefix = "cp" + TaskIds.next().substring(0, 6).toLowerCase() + "-";
    private final String exchangeName = prefix + "elves";
    private final CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitAdmin admin = new RabbitAdmin(factory);
    private final BrokerTopology topology = new BrokerTopology(admin, exchangeName);
    private final BrokerLink link = new BrokerLink(factory, 1000);
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private CastPublisher publisher;

    CastPublisherTest() {
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        factory.addConnectionListener(topology);
        factory.addConnectionListener(link);
        publisher = new CastPublisher(new RabbitTemplate(factory), link, exchangeName, RETRY_MS, 2000);
    }

    @AfterEach
    void cleanUp() throws Exception {
        topology.queues().forEach(admin::deleteQueue);
        admin.deleteExchange(exchangeName);
        factory.destroy();
        camel.close();
    }

    @Test
    void aCastIsPersistentOnTheDurableQueue() throws Exception {
        topology.inbox(exchangeName, prefix + "queue", "*.queue.#");
        factory.createConnection();
        publisher.publish(cast("scheduler.queue.taskResult"));
        Message received = new RabbitTemplate(factory).receive(prefix + "queue", 5000);
        assertNotNull(received, "the cast is on the queue");
        assertEquals(MessageDeliveryMode.PERSISTENT, received.getMessageProperties().getReceivedDeliveryMode());
    }

    @Test
    void aCastNoQueueTakesIsRetriedThenA503() {
        factory.createConnection();
        long started = System.nanoTime();
        ElvesException e = assertThrows(ElvesException.class, () -> publisher.publish(cast("scheduler.nobody.f")));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(ErrorCode.BROKER_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("no queue takes scheduler.nobody.f"), e.getMessage());
        assertTrue(ms >= RETRY_MS / 2 && ms < RETRY_MS + 3000, "retried for about elves.rpc.cast-retry-ms, took " + ms);
    }

    @Test
    void withoutAConnectionACastFailsAtOnce() {
        // never connected: the link is down
        long started = System.nanoTime();
        ElvesException e = assertThrows(ElvesException.class, () -> publisher.publish(cast("scheduler.queue.f")));
        assertEquals(ErrorCode.BROKER_UNAVAILABLE, e.code());
        assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(RETRY_MS), "no retries of a dead link");
    }

    private Exchange cast(String routingKey) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(RpcCodec.CALL_ROUTING_KEY, routingKey);
        exchange.getMessage().setBody("{}".getBytes());
        return exchange;
    }
}

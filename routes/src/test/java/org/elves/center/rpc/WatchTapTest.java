package org.elves.center.rpc;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.elves.protocol.TaskIds;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tap never holds up the message it copies, and bounds what waits for an absent broker. */
class WatchTapTest {

    @Test
    void withTheBrokerAwayCopiesWaitInTheBufferAndOnlyWhatDoesNotFitIsDroppedAndCounted() {
        // nothing listens on this port: every publish attempt fails
        CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
        nowhere.setConnectionTimeout(200);
        try (WatchTap tap = new WatchTap(new RabbitTemplate(nowhere), "x.watch", true, 10, 50, 0)) {
            long start = System.nanoTime();
            for (int i = 0; i < 25; i++) {
                tap.copy(WatchTap.CALL, "openapi.scheduler.syncJob", ("{\"n\":" + i + "}").getBytes());
            }
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs < 1000, "copies are offered, never sent by the caller: " + tookMs + " ms");
            assertEquals(0, tap.published());
            // the publisher thread may hold one batch it keeps trying: 10 buffered plus at most that batch
            assertTrue(tap.dropped() >= 5 && tap.dropped() <= 15, "dropped " + tap.dropped());
        } finally {
            nowhere.destroy();
        }
    }

    @Test
    void copiesOfTheNextMomentsTravelWithTheFirstAsOneBundle() throws Exception {
        String exchange = "wt" + TaskIds.next().substring(0, 6).toLowerCase() + "-elves.watch";
        CachingConnectionFactory broker = new CachingConnectionFactory("127.0.0.1", 5672);
        RabbitAdmin admin = new RabbitAdmin(broker);
        String queue = exchange + ".queue";
        admin.declareQueue(new Queue(queue, false, false, false));
        try (WatchTap tap = new WatchTap(new RabbitTemplate(broker), exchange, true, 100, 50, 500)) {
            admin.declareExchange(new TopicExchange(exchange, false, true));
            admin.declareBinding(BindingBuilder.bind(new Queue(queue)).to(new TopicExchange(exchange)).with("#"));
            // five copies 30 ms apart, as sequential calls make them: all within the first one's linger
            for (int i = 0; i < 5; i++) {
                tap.copy(WatchTap.CALL, "openapi.scheduler.syncJob", ("{\"n\":" + i + "}").getBytes());
                Thread.sleep(30);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (tap.published() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(5, tap.published());
            Message bundle = new RabbitTemplate(broker).receive(queue, 2000);
            assertEquals(WatchTap.BUNDLE, bundle.getMessageProperties().getHeader(WatchTap.KIND));
            JsonNode copies = new ObjectMapper().readTree(bundle.getBody());
            assertEquals(5, copies.size(), "one bundle of five: " + copies);
            assertEquals(4, copies.get(4).get("b").get("n").asInt());
            assertNull(new RabbitTemplate(broker).receive(queue, 200), "no second message");
        } finally {
            admin.deleteExchange(exchange);
            admin.deleteQueue(queue);
            broker.destroy();
        }
    }

    @Test
    void theWatchersOwnTrafficIsNotCopiedAndAnOffTapCopiesNothing() {
        CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
        try (WatchTap tap = new WatchTap(new RabbitTemplate(nowhere), "x.watch", true, 100, 50, 0)) {
            tap.copy(WatchTap.CALL, "openapi.watcher.logs", new byte[0]);
            tap.copy(WatchTap.REPLY, "openapi.watcher.output.1234", new byte[0]);
            assertEquals(0, tap.backlog() + tap.published() + tap.dropped());
        } finally {
            nowhere.destroy();
        }
        WatchTap off = WatchTap.off();
        off.copy(WatchTap.CALL, "openapi.scheduler.syncJob", new byte[1]);
        off.event("scheduler", "T", "sent", Map.of());
        assertEquals(0, off.backlog() + off.dropped());
    }
}

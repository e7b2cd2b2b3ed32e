package org.elves.center.rpc;

import com.rabbitmq.client.Channel;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.elves.protocol.ElvesException;
import org.elves.protocol.Envelope;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cast whose handler asks to be retried goes back on its queue after a pause; a call is answered. */
class RetryLaterTest {
    private static final long DELAY_MS = 200;
    private final CamelContext context = new DefaultCamelContext();
    private final RpcCodec codec = new RpcCodec("center", 5000);
    private final InboxAck inboxAck = new InboxAck(DELAY_MS);
    private final List<String> settled = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        inboxAck.close();
    }

    @Test
    void aCastThatSaysRetryLaterIsRequeuedAfterThePauseNotAcknowledged() throws Exception {
        Exchange cast = served(Envelope.cast("queue", "scheduler", "asyncJob", Map.of()), new RetryLater("agent busy"));
        assertEquals(0, codec.serveFailed(cast).length, "nobody to answer");
        assertTrue(cast.getProperty(InboxAck.REQUEUE, String.class).contains("agent busy"));

        long settledAt = System.nanoTime();
        inboxAck.settle(cast);
        assertEquals(List.of(), settled, "not put back at once: that would be a hot loop");
        awaitSettled();
        assertEquals(List.of("nack 7 requeue=true"), settled);
        assertTrue(System.nanoTime() - settledAt >= TimeUnit.MILLISECONDS.toNanos(DELAY_MS));
    }

    @Test
    void aCastWhoseHandlerMetAnInfrastructureFailureIsRequeuedToo() {
        for (ErrorCode code : List.of(ErrorCode.BROKER_UNAVAILABLE, ErrorCode.COMPONENT_TIMEOUT)) {
            Exchange cast = served(Envelope.cast("queue", "scheduler", "asyncJob", Map.of()), new ElvesException(code, "x"));
            codec.serveFailed(cast);
            assertTrue(cast.getProperty(InboxAck.REQUEUE, String.class).contains("[" + code.code() + "]"));
        }
    }

    @Test
    void aCastWhoseRequestWasWrongIsAcknowledgedAndGone() throws Exception {
        Exchange cast = served(Envelope.cast("queue", "scheduler", "asyncJob", Map.of()), new ElvesException(ErrorCode.PARAM_IP, "x"));
        codec.serveFailed(cast);
        assertNull(cast.getProperty(InboxAck.REQUEUE));
        inboxAck.settle(cast);
        assertEquals(List.of("ack 7"), settled);
    }

    @Test
    void aCallThatSaysRetryLaterIsAnsweredWithItsCode() throws Exception {
        Exchange call = served(Envelope.call("openapi", "scheduler", "syncJob", Map.of()), new RetryLater("agent busy"));
        Map<String, Object> answer = codec.decodeReply(codec.serveFailed(call));
        assertEquals("[503.2]Message Broker Unavailable: agent busy", answer.get("error"));
        assertNull(call.getProperty(InboxAck.REQUEUE));
        inboxAck.settle(call);
        assertEquals(List.of("ack 7"), settled);
    }

    @Test
    void aFailedCallAnswerOfTheInfrastructureBecomesRetryLater() {
        RetryLater later = assertThrows(RetryLater.class, () -> RetryLater.onInfrastructureFailure(
                Replies.failure(ErrorCode.COMPONENT_TIMEOUT.text("queue did not answer taskResult in time"))));
        assertEquals(ErrorCode.COMPONENT_TIMEOUT, later.code());
        assertEquals("[500.1]Internal Component Timeout: queue did not answer taskResult in time", later.getMessage());
        // the request's own failures and successes pass through
        RetryLater.onInfrastructureFailure(Replies.failure(ErrorCode.AGENT_NOT_FOUND.text()));
        RetryLater.onInfrastructureFailure(Replies.ok(Map.of()));
    }

    private Exchange served(Envelope request, Exception handlerFailure) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(request.toBytes());
        exchange.setProperty(InboxAck.TAG, 7L);
        exchange.setProperty("CamelSpringRabbitmqChannel", recordingChannel());
        codec.decodeRequest(exchange);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, handlerFailure);
        return exchange;
    }

    private Channel recordingChannel() {
        return (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Channel.class}, (p, m, args) -> {
            switch (m.getName()) {
                case "basicAck" -> settled.add("ack " + args[0]);
                case "basicNack" -> settled.add("nack " + args[0] + " requeue=" + args[2]);
                default -> throw new UnsupportedOperationException(m.getName());
            }
            return null;
        });
    }

    private void awaitSettled() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (settled.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}

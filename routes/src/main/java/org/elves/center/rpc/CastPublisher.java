package org.elves.center.rpc;

import org.apache.camel.Exchange;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes rpc.casts, the messages that carry state: persistent, confirmed by the broker, and
 * mandatory, so a cast no queue takes comes back as an error instead of vanishing. (The
 * spring-rabbitmq producer has confirms but no mandatory flag, hence this bean.) An attempt the
 * broker did not take (not confirmed in time, refused, returned as unroutable) is repeated with a
 * short backoff for up to {@code elves.rpc.cast-retry-ms}; then, or at once when there is no
 * connection at all, the cast fails with [503.2] and the caller, who holds the durable state (a
 * task record, an unacknowledged inbox message), decides.
 */
public final class CastPublisher {
    private static final long FIRST_PAUSE_MS = 50;
    private static final long MAX_PAUSE_MS = 1000;

    private final RabbitTemplate template;
    private final BrokerLink link;
    private final String exchangeName;
    private final long retryMs;
    private final long confirmTimeoutMs;

    /** {@code template} must be on a factory with correlated publisher confirms and returns. */
    public CastPublisher(RabbitTemplate template, BrokerLink link, String exchangeName, long retryMs, long confirmTimeoutMs) {
        this.template = template;
        this.link = link;
        this.exchangeName = exchangeName;
        this.retryMs = retryMs;
        this.confirmTimeoutMs = confirmTimeoutMs;
        template.setMandatory(true);
        // the returned message is read from the CorrelationData; a callback only keeps spring-amqp from warning
        template.setReturnsCallback(returned -> { });
    }

    /** Sends the encoded cast (body) with the routing key RpcCodec.encodeCast left on the exchange. */
    public void publish(Exchange exchange) throws InterruptedException {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String routingKey = exchange.getProperty(RpcCodec.CALL_ROUTING_KEY, String.class);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryMs);
        long pause = FIRST_PAUSE_MS;
        while (true) {
            link.requireUp(exchange);
            String refused = attempt(routingKey, body);
            if (refused == null) {
                return;
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline) {
                throw new ElvesException(ErrorCode.BROKER_UNAVAILABLE,
                        "cast " + routingKey + " not taken by RabbitMQ within " + retryMs + " ms: " + refused);
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_MS);
        }
    }

    /** One publish, waiting for its confirm; null when the broker took it, else why not. */
    private String attempt(String routingKey, byte[] body) throws InterruptedException {
        // a unique id: the broker's return is matched to its CorrelationData by it
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        try {
            template.send(exchangeName, routingKey, persistent(body), correlation);
            CorrelationData.Confirm confirm = correlation.getFuture().get(confirmTimeoutMs, TimeUnit.MILLISECONDS);
            // read once: the broker's return is set by the connection's thread
            ReturnedMessage returned = correlation.getReturned();
            if (returned != null) {
                return "no queue takes " + routingKey + " (" + returned.getReplyText()
                        + "; is that component running?)";
            }
            return confirm.isAck() ? null : "not confirmed: " + confirm.getReason();
        } catch (AmqpException | ExecutionException e) {
            return e.getMessage();
        } catch (TimeoutException e) {
            return "no confirm within " + confirmTimeoutMs + " ms";
        }
    }

    private static Message persistent(byte[] body) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setContentType(MessageProperties.CONTENT_TYPE_BYTES);
        return new Message(body, properties);
    }
}

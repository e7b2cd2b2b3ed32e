package org.elves.center.rpc;

import com.rabbitmq.client.ShutdownSignalException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.openapi.ApiResponses;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import java.net.ConnectException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker being away reads [503.2] everywhere: the link, a failed rpc.call, the API's HTTP status. */
class BrokerUnavailableTest {
    private final CamelContext context = new DefaultCamelContext();
    // nothing listens there: the link is never connected by this test
    private final CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 1);
    private final BrokerLink link = new BrokerLink(factory, 1000);
    private final RpcCodec codec = new RpcCodec("center", 5000, link, org.elves.center.rpc.WatchTap.off());

    @AfterEach
    void close() {
        factory.destroy();
    }

    @Test
    void theLinkIsUpFromAConnectionUntilTheBrokerDropsIt() {
        assertFalse(link.up());
        assertEquals(0, link.upSinceMs());
        ElvesException down = assertThrows(ElvesException.class, () -> link.requireUp(call()));
        assertEquals(ErrorCode.BROKER_UNAVAILABLE, down.code());
        assertTrue(down.getMessage().startsWith("[503.2]Message Broker Unavailable: no connection to RabbitMQ at 127.0.0.1:1"),
                down.getMessage());

        long before = System.currentTimeMillis();
        link.onCreate(null);
        assertTrue(link.up());
        assertTrue(link.upSinceMs() >= before, "up since the connection was made");

        // our own close at stop is not an outage; the broker's is
        link.onShutDown(new ShutdownSignalException(true, true, null, null));
        assertTrue(link.up());
        link.onShutDown(new ShutdownSignalException(true, false, null, null));
        assertFalse(link.up());
        assertEquals(0, link.upSinceMs());
    }

    @Test
    void aCallThatCouldNotReachTheBrokerIsA503() {
        Exchange refused = failedCall(new AmqpConnectException(new ConnectException("Connection refused")));
        assertEquals("[503.2]Message Broker Unavailable: rpc to scheduler failed: ConnectException: Connection refused",
                codec.callFailed(refused).get("error"));

        Exchange gated = failedCall(link.unavailable());
        assertEquals(link.unavailable().getMessage(), codec.callFailed(gated).get("error"));
    }

    @Test
    void aCallWhoseConnectionWasLostWhileItWaitedIsA503NotATimeout() {
        link.onCreate(null);
        Exchange sent = call();
        link.requireUp(sent);
        sent.setProperty(Exchange.EXCEPTION_CAUGHT, new ExchangeTimedOutException(sent, 5000));
        assertTrue(String.valueOf(codec.callFailed(sent).get("error")).startsWith("[500.1]"), "same link: the callee was slow");

        link.onClose(null);
        link.onCreate(null);
        assertTrue(String.valueOf(codec.callFailed(sent).get("error")).startsWith("[503.2]"), "the link it left on is gone");
    }

    @Test
    void theApiAnswers503WithTheReferenceEnvelope() {
        try (ElvesConfig config = Center.configFor(List.of(Component.OPENAPI)).build()) {
            Exchange api = new DefaultExchange(context);
            String body = new ApiResponses(config).render(codec.callFailed(failedCall(link.unavailable())), api);
            assertEquals(503, api.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
            Map<String, Object> envelope = Json.object(body);
            assertEquals("false", envelope.get("flag"));
            assertTrue(String.valueOf(envelope.get("error")).startsWith("[503.2]Message Broker Unavailable: "), body);
        }
    }

    private Exchange call() {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(RpcCodec.TO, "scheduler");
        exchange.setProperty(RpcCodec.FUNC, "syncJob");
        return exchange;
    }

    private Exchange failedCall(Exception cause) {
        Exchange exchange = call();
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        return exchange;
    }
}

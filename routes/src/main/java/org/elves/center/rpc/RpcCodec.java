package org.elves.center.rpc;

import com.rabbitmq.client.ShutdownSignalException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.elves.protocol.Envelope;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.ElvesException;
import org.springframework.amqp.AmqpConnectException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Turns handler bodies into the MQ envelope and back, for both sides of rpc.call and rpc.cast
 * (routes common/rpc-*.camel.yaml). Addressing travels in exchange properties, not headers, so
 * nothing of it leaks into AMQP headers.
 */
public class RpcCodec {
    /** Exchange property: the calling component (for the mqkey); the codec's own name if unset. */
    public static final String FROM = "ElvesFrom";
    /** Exchange property: the component a call or cast goes to. */
    public static final String TO = "ElvesTo";
    /** Exchange property: the handler (function) name at that component. */
    public static final String FUNC = "ElvesFunc";
    /** Exchange property: the caller's wait for a reply, milliseconds. */
    public static final String TIMEOUT_MS = "ElvesTimeoutMs";
    /** Exchange property set by encodeCall: the reply timeout bucket used as endpoint option. */
    public static final String REPLY_TIMEOUT_MS = "ElvesReplyTimeoutMs";
    /** Exchange property set on the serving side: the direct endpoint of the handler. */
    public static final String HANDLER = "ElvesHandler";
    private static final String REQUEST = "ElvesRequest";
    /** Exchange properties of a call being sent: its encoded request, routing key (a cast's too) and attempts. */
    public static final String CALL_BYTES = "ElvesCallBytes";
    public static final String CALL_ROUTING_KEY = "ElvesCallRoutingKey";
    private static final String CALL_ATTEMPTS = "ElvesCallAttempts";
    /** A component that just started may be asked before its reply consumer runs (spring-amqp's words). */
    static final String REPLY_CONTAINER_STARTING = "reply-to container is not running";
    static final int STARTING_RETRIES = 100;
    static final long STARTING_RETRY_DELAY_MS = 100;
    private static final String ROUTING_KEY_HEADER = "CamelSpringRabbitmqRoutingOverrideKey";

    /*
     * Each distinct reply timeout is its own spring-rabbitmq endpoint (a reply container each), so
     * waits are rounded up to a few buckets; the exact limit is enforced by the callee itself.
     */
    private static final long[] REPLY_BUCKETS_MS = {
            2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 86_400_000};

    private final String self;
    private final long defaultTimeoutMs;
    private final BrokerLink link;
    private final WatchTap tap;

    public RpcCodec(String self, long defaultTimeoutMs) {
        this(self, defaultTimeoutMs, null, WatchTap.off());
    }

    /**
     * With the broker link, a call whose connection was lost while it waited says so ([503.2], not
     * [500.1]); every call, cast and reply encoded here is copied to the Watcher's {@code tap}.
     */
    public RpcCodec(String self, long defaultTimeoutMs, BrokerLink link, WatchTap tap) {
        this.self = self;
        this.defaultTimeoutMs = defaultTimeoutMs;
        this.link = link;
        this.tap = tap;
    }

    public byte[] encodeCall(Exchange exchange) {
        Envelope call = Envelope.call(from(exchange), to(exchange), func(exchange), body(exchange));
        Long timeout = exchange.getProperty(TIMEOUT_MS, Long.class);
        exchange.setProperty(REPLY_TIMEOUT_MS, bucket(timeout == null ? defaultTimeoutMs : timeout));
        exchange.getMessage().setHeader(ROUTING_KEY_HEADER, call.routingKey());
        byte[] bytes = call.toBytes();
        tap.copy(WatchTap.CALL, call.routingKey(), bytes);
        exchange.setProperty(CALL_BYTES, bytes);
        exchange.setProperty(CALL_ROUTING_KEY, call.routingKey());
        exchange.setProperty(CALL_ATTEMPTS, 0);
        return bytes;
    }

    /**
     * Whether the call is (re)sent: always the first time; again only while the last attempt failed
     * because this process's reply consumer was still starting (a process that just started takes
     * queued messages at once), bounded by {@link #STARTING_RETRIES}.
     */
    public boolean sendAgain(Exchange exchange) {
        int attempts = exchange.getProperty(CALL_ATTEMPTS, 0, Integer.class);
        exchange.setProperty(CALL_ATTEMPTS, attempts + 1);
        if (attempts == 0) {
            return true;
        }
        Object body = exchange.getMessage().getBody();
        boolean starting = body instanceof Map<?, ?> reply
                && String.valueOf(reply.get("error")).contains(REPLY_CONTAINER_STARTING);
        return starting && attempts <= STARTING_RETRIES;
    }

    /** No wait before the first attempt; a short one before a retry. */
    public long retryDelay(Exchange exchange) {
        return exchange.getProperty(CALL_ATTEMPTS, 0, Integer.class) > 1 ? STARTING_RETRY_DELAY_MS : 0;
    }

    public byte[] encodeCast(Exchange exchange) {
        Envelope cast = Envelope.cast(from(exchange), to(exchange), func(exchange), body(exchange));
        exchange.setProperty(CALL_ROUTING_KEY, cast.routingKey());
        byte[] bytes = cast.toBytes();
        tap.copy(WatchTap.CAST, cast.routingKey(), bytes);
        return bytes;
    }

    /** The callee's answer body; a transport-level failure becomes {flag:false, error}. */
    public Map<String, Object> decodeReply(byte[] reply) {
        if (reply == null) {
            return Replies.failure(ErrorCode.COMPONENT_TIMEOUT.text("empty reply"));
        }
        Envelope envelope = Envelope.parseReply(reply);
        if (!envelope.ok() && envelope.body().isEmpty()) {
            return Replies.failure(envelope.error());
        }
        return envelope.body();
    }

    /**
     * What the caller gets when the call could not be made or was not answered in time: [503.2] when
     * the broker is unreachable or the connection the call left on was lost while it waited (the
     * callee may never have seen it), [500.1] when the callee did not answer in time, [500] else.
     */
    public Map<String, Object> callFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String to = exchange.getProperty(TO, String.class);
        if (cause instanceof ElvesException coded) {
            return Replies.failure(coded.getMessage());
        }
        if (isBrokerUnavailable(cause)) {
            return Replies.failure(ErrorCode.BROKER_UNAVAILABLE.text("rpc to " + to + " failed: " + message(cause)));
        }
        if (isTimeout(cause)) {
            if (link != null && link.lostSince(exchange)) {
                return Replies.failure(ErrorCode.BROKER_UNAVAILABLE.text("the RabbitMQ connection was lost while "
                        + to + " was asked " + func(exchange)));
            }
            return Replies.failure(ErrorCode.COMPONENT_TIMEOUT.text(to + " did not answer " + func(exchange) + " in time"));
        }
        return Replies.failure(ErrorCode.INTERNAL.text("rpc to " + to + " failed: " + message(cause)));
    }

    /** Serving side: unwraps the envelope and names the handler endpoint {@code <to>.<func>}. */
    public Map<String, Object> decodeRequest(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        Envelope request = Envelope.parseRequest(raw);
        exchange.setProperty(REQUEST, request);
        exchange.setProperty(HANDLER, request.to() + "." + request.func());
        exchange.getMessage().removeHeaders("*");
        return request.body();
    }

    public byte[] encodeReply(Exchange exchange) {
        return copiedReply(request(exchange).reply(body(exchange)));
    }

    private byte[] copiedReply(Envelope reply) {
        byte[] bytes = reply.toBytes();
        tap.copy(WatchTap.REPLY, reply.routingKey(), bytes);
        return bytes;
    }

    /**
     * Serving side failure: a coded ElvesException is a normal answer {flag:false, error}; anything
     * else (no such handler, a bug) is a failed reply, so the caller never waits for nothing.
     */
    public byte[] serveFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Envelope request = exchange.getProperty(REQUEST, Envelope.class);
        if (request == null) {
            // not even an envelope: there is nobody to answer; the route logs it
            return new byte[0];
        }
        if (Envelope.CAST.equals(request.mqtype()) && isRetryLater(cause)) {
            // nobody waits for a cast: its inbox message goes back on the queue (InboxAck)
            exchange.setProperty(InboxAck.REQUEUE, request.routingKey() + ": " + cause.getMessage());
            return new byte[0];
        }
        if (cause instanceof ElvesException coded) {
            return copiedReply(request.reply(Replies.failure(coded.getMessage())));
        }
        return copiedReply(request.failure(ErrorCode.INTERNAL.text(request.to() + " could not handle " + request.func()
                + ": " + message(cause))));
    }

    static long bucket(long timeoutMs) {
        for (long b : REPLY_BUCKETS_MS) {
            if (timeoutMs <= b) {
                return b;
            }
        }
        return REPLY_BUCKETS_MS[REPLY_BUCKETS_MS.length - 1];
    }

    private static Envelope request(Exchange exchange) {
        return exchange.getProperty(REQUEST, Envelope.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return new LinkedHashMap<>();
        }
        if (body instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("rpc body must be a map, got " + body.getClass().getName());
    }

    private String from(Exchange exchange) {
        String from = exchange.getProperty(FROM, String.class);
        return from == null || from.isEmpty() ? self : from;
    }

    private static String to(Exchange exchange) {
        return required(exchange, TO);
    }

    private static String func(Exchange exchange) {
        return required(exchange, FUNC);
    }

    private static String required(Exchange exchange, String property) {
        String value = exchange.getProperty(property, String.class);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("exchange property " + property + " must name the rpc target");
        }
        return value;
    }

    /** A handler's RetryLater, or a coded infrastructure failure ([503.2], [500.1]) it let through. */
    static boolean isRetryLater(Throwable t) {
        return t instanceof RetryLater
                || t instanceof ElvesException coded && RetryLater.isInfrastructure(coded.code());
    }

    /** The broker could not be reached, or the connection or channel went away under the call. */
    static boolean isBrokerUnavailable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AmqpConnectException || c instanceof ShutdownSignalException
                    || c instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || c instanceof ExchangeTimedOutException
                    || c.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String message(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}

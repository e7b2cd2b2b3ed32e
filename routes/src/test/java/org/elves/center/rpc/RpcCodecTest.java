package org.elves.center.rpc;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.elves.protocol.ElvesException;
import org.elves.protocol.Envelope;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RpcCodecTest {
    private final CamelContext context = new DefaultCamelContext();
    private final RpcCodec codec = new RpcCodec("center", 5000);

    @Test
    void aCallIsEncodedServedAndAnswered() {
        Exchange caller = new DefaultExchange(context);
        caller.setProperty(RpcCodec.FROM, "openapi");
        caller.setProperty(RpcCodec.TO, "scheduler");
        caller.setProperty(RpcCodec.FUNC, "syncJob");
        caller.setProperty(RpcCodec.TIMEOUT_MS, 95_000L);
        caller.getMessage().setBody(new LinkedHashMap<>(Map.of("ip", "127.0.0.2")));
        byte[] wire = codec.encodeCall(caller);
        assertEquals("openapi.scheduler.syncJob", caller.getMessage().getHeader("CamelSpringRabbitmqRoutingOverrideKey"));
        assertEquals(120_000L, caller.getProperty(RpcCodec.REPLY_TIMEOUT_MS));

        Exchange callee = new DefaultExchange(context);
        callee.getMessage().setBody(wire);
        Map<String, Object> body = codec.decodeRequest(callee);
        assertEquals("127.0.0.2", body.get("ip"));
        assertEquals("scheduler.syncJob", callee.getProperty(RpcCodec.HANDLER));
        callee.getMessage().setBody(Replies.ok(Map.of("id", "X")));
        byte[] reply = codec.encodeReply(callee);

        Map<String, Object> answer = codec.decodeReply(reply);
        assertEquals("true", answer.get("flag"));
        assertEquals(Map.of("id", "X"), answer.get("result"));
    }

    @Test
    void codedErrorsAreAnswersAndOtherFailuresAreFailedReplies() {
        Exchange callee = new DefaultExchange(context);
        callee.getMessage().setBody(Envelope.call("openapi", "heartbeat", "getStatByIp", Map.of()).toBytes());
        codec.decodeRequest(callee);
        callee.setProperty(Exchange.EXCEPTION_CAUGHT, new ElvesException(ErrorCode.PARAM_IP, "ip is required"));
        Map<String, Object> coded = codec.decodeReply(codec.serveFailed(callee));
        assertEquals("false", coded.get("flag"));
        assertEquals("[403.1]Request Params (ip) Illegal: ip is required", coded.get("error"));

        callee.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("boom"));
        Map<String, Object> failed = codec.decodeReply(codec.serveFailed(callee));
        assertTrue(String.valueOf(failed.get("error")).startsWith("[500]"), String.valueOf(failed.get("error")));
    }

    @Test
    void aTimedOutCallIsA500Point1() {
        Exchange caller = new DefaultExchange(context);
        caller.setProperty(RpcCodec.TO, "scheduler");
        caller.setProperty(RpcCodec.FUNC, "syncJob");
        caller.setProperty(Exchange.EXCEPTION_CAUGHT, new RuntimeException(new TimeoutException("Reply timed out")));
        assertTrue(String.valueOf(codec.callFailed(caller).get("error")).startsWith("[500.1]"));
    }

    @Test
    void onlyAStartingReplyConsumerMakesACallGoAgainAndOnlyABoundedNumberOfTimes() {
        Exchange call = new DefaultExchange(context);
        call.setProperty(RpcCodec.TO, "heartbeat");
        call.setProperty(RpcCodec.FUNC, "getStatByIp");
        call.getMessage().setBody(new LinkedHashMap<>());
        codec.encodeCall(call);
        assertTrue(codec.sendAgain(call), "the first attempt");
        assertEquals(0, codec.retryDelay(call));
        call.getMessage().setBody(Replies.failure("[500]Internal ServerError: rpc to heartbeat failed: "
                + "IllegalStateException: Direct reply-to container is not running"));
        assertTrue(codec.sendAgain(call));
        assertEquals(RpcCodec.STARTING_RETRY_DELAY_MS, codec.retryDelay(call));
        call.getMessage().setBody(Replies.failure("[500.1]Internal Component Timeout: heartbeat did not answer"));
        assertEquals(false, codec.sendAgain(call), "a timeout is not repeated");

        call.getMessage().setBody(Replies.failure("... reply-to container is not running"));
        int retries = 0;
        while (codec.sendAgain(call)) {
            retries++;
        }
        assertTrue(retries < RpcCodec.STARTING_RETRIES, "bounded");
    }

    @Test
    void replyTimeoutsRoundUpToBuckets() {
        assertEquals(2_000, RpcCodec.bucket(1));
        assertEquals(5_000, RpcCodec.bucket(5_000));
        assertEquals(120_000, RpcCodec.bucket(100_000));
        assertEquals(86_400_000, RpcCodec.bucket(Long.MAX_VALUE));
    }
}

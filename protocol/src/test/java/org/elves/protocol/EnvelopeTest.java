package org.elves.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeTest {

    @Test
    void callRoundTripsAndItsReplyReversesTheKey() {
        Envelope call = Envelope.call("openapi", "scheduler", "syncJob", Map.of("ip", "127.0.0.2"));
        Envelope parsed = Envelope.parseRequest(call.toBytes());
        assertEquals("openapi", parsed.from());
        assertEquals("scheduler", parsed.to());
        assertEquals("syncJob", parsed.func());
        assertEquals("openapi.scheduler.syncJob", parsed.routingKey());
        assertEquals(16, parsed.id().length());
        assertEquals("127.0.0.2", parsed.body().get("ip"));

        Envelope reply = Envelope.parseReply(parsed.reply(Map.of("flag", "true")).toBytes());
        assertEquals("scheduler.openapi.syncJob." + parsed.id(), reply.mqkey());
        assertTrue(reply.ok());
        assertEquals("true", reply.body().get("flag"));
    }

    @Test
    void failureReplyCarriesFlagAndError() {
        Envelope call = Envelope.call("openapi", "scheduler", "nothing", Map.of());
        Envelope reply = Envelope.parseReply(call.failure("no handler nothing").toBytes());
        assertFalse(reply.ok());
        assertEquals("no handler nothing", reply.error());
    }

    @Test
    void originalThreeWordKeysAndMissingBodiesAreAccepted() {
        byte[] json = "{\"mqkey\":\"cron.scheduler.asyncJob\",\"mqtype\":\"cast\"}".getBytes(StandardCharsets.UTF_8);
        Envelope e = Envelope.parseRequest(json);
        assertEquals("asyncJob", e.func());
        assertEquals("", e.id());
        assertTrue(e.body().isEmpty());
    }

    @Test
    void malformedRequestsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Envelope.parseRequest("not json".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class,
                () -> Envelope.parseRequest("{\"mqkey\":\"a.b\",\"mqtype\":\"call\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class,
                () -> Envelope.parseRequest("{\"mqkey\":\"a.b.c\",\"mqtype\":\"shout\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class,
                () -> Envelope.parseRequest("{\"mqkey\":\"a.b.c\",\"mqtype\":\"call\",\"mqbody\":[1]}".getBytes(StandardCharsets.UTF_8)));
    }
}

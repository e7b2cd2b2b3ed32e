package org.elves.center.watcher;

import org.bson.Document;
import org.elves.protocol.Envelope;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** An rpc copy as its audit document: who, what, when, the task it is about, no secrets. */
class MessageRecordsTest {

    @Test
    void aReplyIsTiedToItsTaskAndTheSameCopyHasTheSameId() {
        Envelope call = Envelope.call("openapi", "scheduler", "syncJob", Map.of("id", "ABCDEF0123456789", "ip", "10.0.0.1"));
        Envelope answer = call.reply(Map.of("flag", "true", "result", Map.of("id", "ABCDEF0123456789")));
        byte[] reply = answer.toBytes();
        Document doc = MessageRecords.of("reply", answer.routingKey(), 1000, reply);
        assertEquals("0000000001000:reply:" + answer.mqkey(), doc.get("_id"));
        // a reply goes back: from the callee to the caller
        assertEquals(List.of("scheduler", "openapi", "syncJob"), List.of(doc.get("from"), doc.get("to"), doc.get("func")));
        assertEquals("ABCDEF0123456789", doc.get("task_id"));
        assertEquals(doc.get("_id"), MessageRecords.of("reply", answer.routingKey(), 1000, reply).get("_id"));
        // ids order as the copies were sent, whatever their keys
        assertTrue(((String) doc.get("_id")).compareTo((String) MessageRecords.of("call", call.routingKey(), 999, call.toBytes()).get("_id")) > 0);
        assertEquals("ABCDEF0123456789", MessageRecords.of("call", call.routingKey(), 1000, call.toBytes()).get("task_id"));
    }

    @Test
    void secretsAreMaskedAtAnyDepthAndTextThatIsNoEnvelopeIsKept() {
        Envelope keys = Envelope.call("supervisor", "openapi", "keyTable",
                Map.of("keys", List.of(Map.of("auth_id", "7", "secret", "s3cr3t", "grants", Map.of("app", List.of("*"))))));
        Document doc = MessageRecords.of("reply", keys.routingKey(), 1, keys.reply(Map.of("key", "k3y", "auth_id", "7")).toBytes());
        assertFalse(doc.toJson().contains("k3y"), doc.toJson());
        assertEquals("***", ((Map<?, ?>) doc.get("body")).get("key"));
        Document call = MessageRecords.of("call", keys.routingKey(), 1, keys.toBytes());
        assertFalse(call.toJson().contains("s3cr3t"), call.toJson());
        assertEquals("not json", MessageRecords.of("call", "a.b.c", 1, "not json".getBytes()).get("text"));
        assertEquals("{\"user\":\"u\",\"password\":\"***\"}", MessageRecords.maskedJson("{\"user\":\"u\",\"password\":\"p4ss\"}"));
        assertEquals("{ \"user\": \"u\" }", MessageRecords.maskedJson("{ \"user\": \"u\" }"));
    }
}

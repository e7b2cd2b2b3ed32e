package org.elves.center.watcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A copy of an rpc message (call, cast or reply) as the audit document of collection
 * {@code watch_messages}: who sent what to whom, when, and for a reply whether it succeeded. The
 * {@code _id} is the send time, the kind and the envelope's mqkey, so a copy delivered twice is
 * stored once.
 * Secrets carried by the Supervisor's key answers (a key's secret) are written {@code ***}.
 */
final class MessageRecords {
    static final String MASK = "***";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private MessageRecords() {
    }

    /** The document of one copy; a body that is not an envelope is kept as text, so nothing is lost. */
    static Document of(String kind, String routingKey, long timeMs, byte[] body) {
        Map<String, Object> envelope;
        try {
            envelope = JSON.readValue(body, MAP);
        } catch (IOException e) {
            envelope = null;
        }
        return of(kind, routingKey, timeMs, envelope, body);
    }

    /** The document of one copy already parsed (from a bundle). */
    static Document of(String kind, String routingKey, long timeMs, Map<String, Object> envelope) {
        return of(kind, routingKey, timeMs, envelope, null);
    }

    private static Document of(String kind, String routingKey, long timeMs, Map<String, Object> envelope, byte[] body) {
        Document doc = new Document();
        String mqkey = envelope != null && envelope.get("mqkey") instanceof String k ? k : null;
        // the send time first: new copies go to the end of the _id index and of the collection's tree,
        // not all over it (on the embedded H2 store each insert in the middle rewrites a page of ~50)
        doc.append("_id", String.format("%013d:%s:%s", timeMs, kind,
                mqkey == null ? routingKey + ":" + java.util.Arrays.hashCode(body) : mqkey));
        doc.append("kind", kind).append("routing_key", routingKey).append("time", new Date(timeMs));
        String[] parts = (mqkey == null ? routingKey : mqkey).split("\\.", 4);
        if (parts.length >= 3) {
            doc.append("from", parts[0]).append("to", parts[1]).append("func", parts[2]);
        }
        if (envelope == null) {
            doc.append("text", new String(body, java.nio.charset.StandardCharsets.UTF_8));
            return doc;
        }
        if (envelope.containsKey("mqflag")) {
            doc.append("flag", envelope.get("mqflag"));
            doc.append("error", envelope.get("mqerror"));
        }
        Object payload = masked(envelope.get("mqbody"));
        doc.append("body", payload);
        String taskId = taskIdOf(payload);
        if (taskId != null) {
            doc.append("task_id", taskId);
        }
        return doc;
    }

    /** The task a message is about: a request's {@code id}, a reply's {@code result.id}. */
    private static String taskIdOf(Object body) {
        if (!(body instanceof Map<?, ?> map)) {
            return null;
        }
        if (map.get("id") instanceof String id) {
            return id;
        }
        return map.get("result") instanceof Map<?, ?> result && result.get("id") instanceof String id ? id : null;
    }

    /** JSON text with its secret-named fields masked (a worker's param); other text as it is. */
    static String maskedJson(String text) {
        if (text == null || !text.trim().startsWith("{")) {
            return text;
        }
        try {
            Object masked = masked(JSON.readValue(text, MAP));
            String out = JSON.writeValueAsString(masked);
            // unchanged: keep the caller's own spelling of it
            return out.equals(JSON.writeValueAsString(JSON.readValue(text, MAP))) ? text : out;
        } catch (IOException e) {
            return text;
        }
    }

    /** The value with every secret-named field's value replaced by {@link #MASK}, at any depth. */
    static Object masked(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), isSecretName(String.valueOf(k)) && v != null ? MASK : masked(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(masked(v)));
            return out;
        }
        return value;
    }

    static boolean isSecretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("key") || n.equals("secret") || n.equals("auth_key") || n.equals("password")
                || n.equals("token") || n.equals("sign") || n.endsWith("_secret") || n.endsWith("_password")
                || n.endsWith("_token");
    }
}

package org.elves.center.watcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.elves.center.rpc.WatchTap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records what the tap brings in bounded batches (route watcher-tap): each message is taken into
 * the batch; a full batch, or the timer's tick, writes it to MongoDB and only then acknowledges
 * it (one multiple-ack per channel). A Watcher killed before a write leaves its messages
 * unacknowledged, so the broker hands them out again and the idempotent writes store them once.
 * While MongoDB refuses, the batch stays and is tried again; the queue's prefetch stops the
 * broker from handing out more, so the Watcher falls behind and catches up, losing nothing.
 */
public class TapBatch {
    private static final Logger LOG = LoggerFactory.getLogger(TapBatch.class);
    private static final String CHANNEL = "CamelSpringRabbitmqChannel";
    private static final String TAG = "CamelSpringRabbitmqDeliveryTag";
    private static final String ROUTING_KEY = "CamelSpringRabbitmqRoutingKey";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final WatcherStore store;
    private final int batchSize;
    private final int prefetch;
    private final List<Taken> pending = new ArrayList<>();
    /** Tap messages in {@link #pending}: the broker hands out no more than the prefetch before an ack. */
    private int pendingDeliveries;
    private long recorded;
    private long lastFailureLogMs;

    /**
     * @param batchSize copies written in one batch
     * @param prefetch  the queue's prefetch: a batch is also full at this many tap messages, as
     *                  no more come before it is written and acknowledged
     */
    public TapBatch(WatcherStore store, int batchSize, int prefetch) {
        this.store = store;
        this.batchSize = batchSize;
        this.prefetch = prefetch;
    }

    /** Takes one tap message (a bundle of copies, mostly) into the batch; writes the batch when it is full. */
    public void take(Exchange exchange) throws InterruptedException {
        var message = exchange.getMessage();
        String kind = message.getHeader(WatchTap.KIND, "", String.class);
        Channel channel = exchange.getProperty(CHANNEL, Channel.class);
        Long tag = message.getHeader(TAG, Long.class);
        byte[] body = message.getBody(byte[].class);
        List<Taken> taken = new ArrayList<>();
        if (WatchTap.BUNDLE.equals(kind) && bundle(body) instanceof List<?> copies) {
            for (Object c : copies) {
                if (c instanceof Map<?, ?> copy) {
                    taken.add(new Taken(String.valueOf(copy.get("k")), String.valueOf(copy.get("r")),
                            copy.get("t") instanceof Number t ? t.longValue() : System.currentTimeMillis(),
                            copy.get("b"), channel, tag));
                }
            }
        } else {
            taken.add(new Taken(kind, message.getHeader(ROUTING_KEY, "", String.class),
                    message.getHeader(WatchTap.TIME, System.currentTimeMillis(), Long.class), body, channel, tag));
        }
        synchronized (this) {
            pending.addAll(taken);
            pendingDeliveries++;
            // full: write before taking more; while MongoDB refuses, the listener waits here
            while ((pending.size() >= batchSize || pendingDeliveries >= prefetch) && !flush()) {
                wait(500);
            }
        }
    }

    /** Writes and acknowledges what is pending; false when MongoDB refused (it stays pending). */
    public synchronized boolean flush() {
        if (pending.isEmpty()) {
            return true;
        }
        List<Document> copies = new ArrayList<>();
        List<TaskLogUpdates.Change> changes = new ArrayList<>();
        Map<String, List<Map<String, Object>>> events = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> outputs = new LinkedHashMap<>();
        for (Taken t : pending) {
            add(t, copies, events, outputs);
        }
        events.forEach((taskId, ofTask) -> {
            TaskLogUpdates.Change change = TaskLogUpdates.of(taskId, ofTask);
            if (change != null) {
                changes.add(change);
            }
        });
        try {
            store.write(copies, changes, outputs);
        } catch (RuntimeException e) {
            long now = System.currentTimeMillis();
            if (now - lastFailureLogMs > 60_000) {
                lastFailureLogMs = now;
                LOG.warn("watcher could not write {} tap messages (kept, tried again): {}", pending.size(), e.toString());
            }
            return false;
        }
        acknowledge();
        recorded += pending.size();
        pending.clear();
        pendingDeliveries = 0;
        notifyAll();
        return true;
    }

    /** Tap messages written so far by this instance. */
    public synchronized long recorded() {
        return recorded;
    }

    /** A message into its pile: a copy, one of a task's events (grouped: one write per task), a chunk. */
    private static void add(Taken t, List<Document> copies, Map<String, List<Map<String, Object>>> events,
                            Map<String, List<Map<String, Object>>> outputs) {
        switch (t.kind()) {
            case WatchTap.CALL, WatchTap.CAST, WatchTap.REPLY -> copies.add(t.body() instanceof Map<?, ?> envelope
                    ? MessageRecords.of(t.kind(), t.routingKey(), t.timeMs(), asMap(envelope))
                    : MessageRecords.of(t.kind(), t.routingKey(), t.timeMs(), bytes(t.body())));
            case WatchTap.EVENT -> {
                Map<String, Object> event = parse(t.body());
                if (event != null && event.get("id") instanceof String id && !id.isEmpty()) {
                    events.computeIfAbsent(id, k -> new ArrayList<>()).add(event);
                }
            }
            case WatchTap.OUTPUT -> {
                Map<String, Object> chunk = parse(t.body());
                if (chunk != null && chunk.get("id") instanceof String id && !id.isEmpty()) {
                    outputs.computeIfAbsent(id, k -> new ArrayList<>()).add(chunk);
                }
            }
            // not from a tap: kept as a message of unknown kind, so nothing vanishes unseen
            default -> copies.add(MessageRecords.of("unknown", t.routingKey(), t.timeMs(), bytes(t.body())));
        }
    }

    /** A bundle's copies, each parsed once; null when the body is not one (kept then as one unknown message). */
    private static Object bundle(byte[] body) {
        try {
            return JSON.readValue(body, List.class);
        } catch (IOException e) {
            LOG.debug("tap bundle not JSON: {}", e.getMessage());
            return null;
        }
    }

    /** A copy's content: parsed already (from a bundle) or JSON bytes. */
    private static Map<String, Object> parse(Object body) {
        if (body instanceof Map<?, ?> map) {
            return asMap(map);
        }
        try {
            return JSON.readValue(bytes(body), MAP);
        } catch (IOException e) {
            LOG.debug("tap message not JSON: {}", e.getMessage());
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static byte[] bytes(Object body) {
        if (body instanceof byte[] b) {
            return b;
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            return String.valueOf(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private void acknowledge() {
        Map<Channel, Long> last = new IdentityHashMap<>();
        for (Taken t : pending) {
            if (t.channel() != null && t.tag() != null) {
                last.merge(t.channel(), t.tag(), Math::max);
            }
        }
        last.forEach((channel, tag) -> {
            try {
                channel.basicAck(tag, true);
            } catch (IOException | RuntimeException e) {
                // the channel closed meanwhile: the broker hands the messages out again, the writes are idempotent
                LOG.debug("tap messages up to {} not acknowledged: {}", tag, e.toString());
            }
        });
    }

    /** One copy: its body is JSON bytes, or already parsed (a bundle's). */
    private record Taken(String kind, String routingKey, long timeMs, Object body, Channel channel, Long tag) {
    }
}

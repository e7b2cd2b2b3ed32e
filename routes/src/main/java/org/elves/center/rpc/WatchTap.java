package org.elves.center.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Watcher's tap: a copy of every rpc message this process sends (calls, casts, replies), and
 * what its components tell the Watcher about a task (a phase reached, a chunk of a worker's output),
 * published to the topic exchange {@code <exchange>.watch} whose durable queue the Watcher reads.
 * <p>
 * A copy never slows the message it copies: it goes into a bounded buffer and one thread of this
 * process publishes it (persistent, unconfirmed: the broker keeps it across its restart, the
 * sender waits for nobody). While the broker is away the buffer holds the copies and the thread
 * tries again; only a buffer full for that long drops (counted, logged once a minute). A binding of
 * the Watcher's queue to {@code #} on the main exchange would see no replies (they go to the
 * caller's reply queue) and would make every mandatory cast routable, hence an exchange of its own.
 */
public final class WatchTap implements AutoCloseable {
    /** AMQP header: what the copy is, one of {@link #CALL} {@link #CAST} {@link #REPLY} {@link #EVENT} {@link #OUTPUT}. */
    public static final String KIND = "elves-kind";
    /** AMQP header: when it was sent, Unix ms of the sender's clock. */
    public static final String TIME = "elves-time";
    public static final String CALL = "call";
    public static final String CAST = "cast";
    public static final String REPLY = "reply";
    public static final String EVENT = "event";
    public static final String OUTPUT = "output";
    /**
     * What goes on the wire: the copies one publishing round found waiting, as one message, a JSON
     * array of {@code {k: kind, r: routing key, t: Unix ms, b: the copy}}; one broker message and one
     * acknowledgement per round instead of per copy (a realtime call makes about seven copies).
     */
    public static final String BUNDLE = "bundle";
    /** A bundle is closed at this size (a copy bigger than it goes alone). */
    static final int BUNDLE_BYTES = 1 << 20;
    /** The component whose traffic is not copied: the Watcher's own queries would copy themselves. */
    public static final String WATCHER = "watcher";
    private static final Logger LOG = LoggerFactory.getLogger(WatchTap.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 4096;
    private static final long DROP_LOG_EVERY_MS = 60_000;

    private final RabbitTemplate template;
    private final String watchExchange;
    private final boolean enabled;
    private final long retryMs;
    private final long lingerMs;
    private final BlockingQueue<Copy> buffer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private volatile long lastDropLogMs;
    private volatile boolean closed;
    private Thread publisher;

    /** Off: nothing is copied (the figure "Watcher off" of the benchmark, or a center without audit). */
    public static WatchTap off() {
        return new WatchTap(null, "", false, 1, 1000, 0);
    }

    /**
     * {@code watchExchange}: {@link #exchangeOf} the main one; {@code retryMs}: pause while the
     * broker is away; {@code lingerMs}: how long a copy waits for others to travel with it.
     */
    public WatchTap(RabbitTemplate template, String watchExchange, boolean enabled, int bufferSize, long retryMs,
                    long lingerMs) {
        this.template = template;
        this.watchExchange = watchExchange;
        this.enabled = enabled;
        this.retryMs = retryMs;
        this.lingerMs = lingerMs;
        this.buffer = new ArrayBlockingQueue<>(Math.max(1, bufferSize));
    }

    /** The exchange the copies go to, beside the main one. */
    public static String exchangeOf(String mainExchange) {
        return mainExchange + ".watch";
    }

    public boolean enabled() {
        return enabled;
    }

    /** A copy of an rpc message: its envelope as sent, under its own routing key. */
    public void copy(String kind, String routingKey, byte[] envelope) {
        if (!enabled || involvesWatcher(routingKey)) {
            return;
        }
        offer(routingKey, kind, envelope);
    }

    /**
     * A task reached a phase ({@code accepted}, {@code sent}, ...): {@code fields} are what the
     * Watcher's log record learns with it (the task's agent, app, result, ...).
     */
    public void event(String component, String taskId, String phase, Map<String, ?> fields) {
        event(component, taskId, phase, System.currentTimeMillis(), fields);
    }

    /** As {@link #event(String, String, String, Map)}, for a phase reached at {@code atMs} (Unix ms). */
    public void event(String component, String taskId, String phase, long atMs, Map<String, ?> fields) {
        if (!enabled || taskId == null || taskId.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", taskId);
        body.put("phase", phase);
        body.put("at", atMs);
        if (fields != null) {
            fields.forEach((k, v) -> {
                if (v != null) {
                    body.putIfAbsent(k, v);
                }
            });
        }
        offer(component + ".watcher.event", EVENT, json(body));
    }

    /** A chunk of a running worker's output, as the agent sent it (secrets already masked there). */
    public void output(String taskId, int seq, String stream, String data, long atMs, long droppedBytes) {
        if (!enabled || taskId == null || taskId.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", taskId);
        body.put("seq", seq);
        body.put("stream", stream);
        body.put("data", data == null ? "" : data);
        body.put("at", atMs);
        if (droppedBytes > 0) {
            body.put("dropped", droppedBytes);
        }
        offer("scheduler.watcher.output", OUTPUT, json(body));
    }

    /** Copies given to the broker so far, and copies dropped because the buffer was full. */
    public long published() {
        return published.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Copies waiting in the buffer. */
    public int backlog() {
        return buffer.size();
    }

    private static boolean involvesWatcher(String routingKey) {
        int first = routingKey.indexOf('.');
        if (first < 0) {
            return false;
        }
        int second = routingKey.indexOf('.', first + 1);
        String from = routingKey.substring(0, first);
        String to = second < 0 ? routingKey.substring(first + 1) : routingKey.substring(first + 1, second);
        return WATCHER.equals(from) || WATCHER.equals(to);
    }

    private void offer(String routingKey, String kind, byte[] body) {
        if (!buffer.offer(new Copy(routingKey, kind, System.currentTimeMillis(), body))) {
            long n = dropped.incrementAndGet();
            long now = System.currentTimeMillis();
            if (now - lastDropLogMs > DROP_LOG_EVERY_MS) {
                lastDropLogMs = now;
                LOG.warn("watch tap buffer full ({} copies waiting for RabbitMQ): {} copies dropped so far",
                        buffer.size(), n);
            }
            return;
        }
        startPublisher();
    }

    private synchronized void startPublisher() {
        if (publisher == null && !closed) {
            publisher = new Thread(this::publishLoop, "elves-watch-tap");
            publisher.setDaemon(true);
            publisher.start();
        }
    }

    private void publishLoop() {
        List<Copy> batch = new ArrayList<>(BATCH);
        while (!closed || !buffer.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Copy first = buffer.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    linger();
                    buffer.drainTo(batch, BATCH - 1);
                }
                publish(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (AmqpException e) {
                // the broker is away: keep the batch, try again (the buffer bounds what waits)
                if (closed) {
                    return;
                }
                sleepQuietly(retryMs);
            } catch (RuntimeException e) {
                // anything else would fail again: the batch is dropped (counted), the thread goes on
                dropped.addAndGet(batch.size());
                LOG.warn("watch tap: {} copies dropped, not publishable: {}", batch.size(), e.toString());
                batch.clear();
            }
        }
    }

    /**
     * Lets the copies of the next moments join the first one. Without it sequential calls send
     * each copy alone, as they come (seven per realtime call): every one a wake-up of this thread
     * and a publish the broker handles, on the cores the calls need (measured: p50 +50 % on 2
     * cores). Sleeping, rather than waiting on the buffer, also spares the task's thread the
     * signal to a waiting consumer. Not when a batch is already waiting, nor while closing.
     */
    private void linger() throws InterruptedException {
        if (lingerMs > 0 && !closed && buffer.size() < BATCH - 1) {
            Thread.sleep(lingerMs);
        }
    }

    /** The batch as bundles on one channel; a failure leaves the copies not yet sent in it. */
    private void publish(List<Copy> batch) {
        template.invoke(ops -> {
            while (!batch.isEmpty()) {
                int n = bundleSize(batch);
                ops.send(watchExchange, BUNDLE, bundle(batch.subList(0, n)));
                batch.subList(0, n).clear();
                published.addAndGet(n);
            }
            return null;
        });
    }

    /** How many copies from the start of the batch go into the next bundle (at least one). */
    private static int bundleSize(List<Copy> batch) {
        int bytes = 0;
        int n = 0;
        while (n < batch.size() && (n == 0 || bytes + batch.get(n).body().length <= BUNDLE_BYTES)) {
            bytes += batch.get(n).body().length + 64;
            n++;
        }
        return n;
    }

    private static Message bundle(List<Copy> copies) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256 * copies.size());
        try (com.fasterxml.jackson.core.JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartArray();
            for (Copy c : copies) {
                json.writeStartObject();
                json.writeStringField("k", c.kind());
                json.writeStringField("r", c.routingKey());
                json.writeNumberField("t", c.timeMs());
                json.writeFieldName("b");
                // every copy is JSON already (an envelope, an event, a chunk): embedded as it is
                json.writeRawValue(new String(c.body(), java.nio.charset.StandardCharsets.UTF_8));
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("tap bundle not written: " + e.getMessage(), e);
        }
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setHeader(KIND, BUNDLE);
        properties.setHeader(TIME, System.currentTimeMillis());
        return new Message(out.toByteArray(), properties);
    }

    private record Copy(String routingKey, String kind, long timeMs, byte[] body) {
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("watch event not serializable: " + e.getMessage(), e);
        }
    }

    /** Stops taking copies and gives the publisher up to {@code waitMs} to send what it holds. */
    public void close(long waitMs) {
        closed = true;
        Thread t;
        synchronized (this) {
            t = publisher;
        }
        if (t != null) {
            try {
                t.join(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            t.interrupt();
        }
    }

    @Override
    public void close() {
        close(2000);
    }
}

package org.elves.center.openapi;

import org.elves.protocol.Json;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A task's live output as the bytes of server-sent events ({@link LogFollow} writes them out). Each
 * read that finds nothing buffered waits {@code pollMs} and asks the Watcher for the chunks after
 * the last seq sent ({@code poll}); after the task's end one more poll picks up chunks still on
 * their way, then the {@code end} event ends the stream. A read never waits longer than one poll:
 * when nothing came it returns a comment line, so a follower that went away is noticed at the next
 * write and proxies do not close a quiet stream. (Camel has no SSE producer for platform-http;
 * this class is that, kept to the wire format.)
 */
final class LogStream extends InputStream {
    private final LongFunction<Map<String, Object>> poll;
    private static final byte[] COMMENT = ":\n".getBytes(StandardCharsets.UTF_8);
    private final long pollMs;
    private byte[] buffer = new byte[0];
    private int position;
    /** Every chunk up to this seq was sent (or is gone for good): the Watcher is asked for those after it. */
    private long afterSeq;
    /** Chunks sent above {@link #afterSeq}: two Watchers may record a task's chunks out of order. */
    private final java.util.TreeSet<Long> sentAbove = new java.util.TreeSet<>();
    private long truncatedAfter = -1;
    private long tailFrom = -1;
    private boolean truncationShown;
    private Map<String, Object> endSeen;
    private boolean finished;

    /** {@code first}: the Watcher's answer that found the task, written before anything is polled. */
    LogStream(Map<String, Object> first, long afterSeq, LongFunction<Map<String, Object>> poll, long pollMs) {
        this.poll = poll;
        this.afterSeq = afterSeq;
        this.pollMs = pollMs;
        fill(first);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
        while (position >= buffer.length) {
            if (finished) {
                return -1;
            }
            if (!sleep(pollMs)) {
                return -1;
            }
            if (!fill(poll.apply(afterSeq))) {
                buffer = COMMENT;
                position = 0;
            }
        }
        int n = Math.min(length, buffer.length - position);
        System.arraycopy(buffer, position, into, offset, n);
        position += n;
        return n;
    }

    /** Turns a Watcher answer into events; false when it brought nothing to write. */
    @SuppressWarnings("unchecked")
    private boolean fill(Map<String, Object> reply) {
        StringBuilder events = new StringBuilder();
        if (!"true".equals(String.valueOf(reply.get("flag")))) {
            events.append(event("error", Map.of("error", String.valueOf(reply.get("error")))));
            finished = true;
            return set(events);
        }
        Map<String, Object> result = (Map<String, Object>) reply.get("result");
        if (result.get("truncated_after_seq") instanceof Number n) {
            truncatedAfter = n.longValue();
        }
        if (result.get("tail_from_seq") instanceof Number n) {
            tailFrom = n.longValue();
        }
        for (Map<String, Object> chunk : (List<Map<String, Object>>) result.getOrDefault("chunks", List.of())) {
            long seq = ((Number) chunk.get("seq")).longValue();
            if (seq <= afterSeq || !sentAbove.add(seq)) {
                continue;
            }
            if (!truncationShown && truncatedAfter >= 0 && seq > truncatedAfter) {
                truncationShown = true;
                events.append(event("truncated", Map.of("dropped_bytes", result.getOrDefault("dropped_bytes", 0))));
            }
            events.append("id: ").append(seq).append('\n').append(event("output", chunk));
        }
        advance();
        if (result.get("end") instanceof Map<?, ?> end) {
            if (endSeen != null && events.isEmpty()) {
                // the task ended and a last poll found nothing more
                events.append(event("end", endSeen));
                finished = true;
            }
            endSeen = (Map<String, Object>) end;
        }
        return set(events);
    }

    /** Moves the watermark over what was sent without a gap, and over the middle the Watcher left out. */
    private void advance() {
        if (truncatedAfter >= 0 && tailFrom > 0 && afterSeq >= truncatedAfter) {
            afterSeq = Math.max(afterSeq, tailFrom - 1);
        }
        sentAbove.headSet(afterSeq, true).clear();
        while (sentAbove.remove(afterSeq + 1)) {
            afterSeq++;
        }
    }

    private boolean set(StringBuilder events) {
        if (events.isEmpty()) {
            return false;
        }
        buffer = events.toString().getBytes(StandardCharsets.UTF_8);
        position = 0;
        return true;
    }

    private static String event(String name, Object data) {
        return "event: " + name + "\ndata: " + Json.text(data) + "\n\n";
    }

    /** False when the server stops the reader (the stream ends). */
    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

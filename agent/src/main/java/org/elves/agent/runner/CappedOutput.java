package org.elves.agent.runner;

import org.elves.agent.output.ByteSink;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a child's stream to its end, keeping the first {@code cap} bytes and counting the rest:
 * the child must never block on a full pipe, however much it writes. Everything read is also
 * handed to a {@link ByteSink} (the live output), which never blocks.
 */
final class CappedOutput {
    private static final int CHUNK = 16 * 1024;

    private final int cap;
    private final ByteSink tee;
    /** When the reader last started or got bytes; 0 = not started yet. */
    private volatile long lastProgressNanos;
    private byte[] kept = new byte[256];
    private int size;
    private long total;

    CappedOutput(int cap) {
        this(cap, ByteSink.NONE);
    }

    CappedOutput(int cap, ByteSink tee) {
        this.cap = cap;
        this.tee = tee;
    }

    /** Runs in an I/O thread until end of stream; read errors end it quietly (the child is gone). */
    void drain(InputStream in) {
        byte[] chunk = new byte[CHUNK];
        lastProgressNanos = System.nanoTime();
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                lastProgressNanos = System.nanoTime();
                append(chunk, n);
                tee.write(chunk, 0, n);
            }
        } catch (IOException e) {
            // the stream was closed under us (process killed): what was read stays valid
        }
    }

    private synchronized void append(byte[] chunk, int n) {
        total += n;
        int room = cap - size;
        if (room <= 0) {
            return;
        }
        int take = Math.min(room, n);
        if (size + take > kept.length) {
            kept = Arrays.copyOf(kept, Math.min(cap, Math.max(size + take, kept.length * 2)));
        }
        System.arraycopy(chunk, 0, kept, size, take);
        size += take;
    }

    /** Whether a reader thread has begun on the stream. */
    boolean started() {
        return lastProgressNanos != 0;
    }

    /**
     * Nanoseconds without bytes counted from {@code sinceNanos} or the reader's last progress,
     * whichever is later (meaningless before it started): a worker silent until its last line is
     * not stalled because its reader waited long before it exited.
     */
    long idleNanosSince(long sinceNanos) {
        return System.nanoTime() - Math.max(lastProgressNanos, sinceNanos);
    }

    /** What was read so far. */
    synchronized CapturedOutput captured() {
        return new CapturedOutput(Arrays.copyOf(kept, size), size, total);
    }

    /** What was kept so far, decoded as UTF-8 (a sequence cut at the cap becomes U+FFFD). */
    String text() {
        return captured().text();
    }
}

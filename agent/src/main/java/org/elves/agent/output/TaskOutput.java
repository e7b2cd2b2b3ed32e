package org.elves.agent.output;

import org.elves.protocol.thrift.OutputChunk;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The output of one running task on its way to the scheduler: the pipe readers (or the spool
 * tail) {@link #write} into it without ever waiting, the sender {@link #take}s chunks from it.
 * Bytes are coalesced per stream in arrival order; beyond {@code maxPending} the oldest are dropped
 * and counted, and the next chunk reports them in {@code dropped}. Chunks end on a whole UTF-8
 * sequence: a character cut by a read waits for its other bytes.
 */
public final class TaskOutput {
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";
    /** Pending bytes that make the sender go at once rather than at its next tick. */
    static final int EAGER_BYTES = 16 * 1024;
    /**
     * The largest chunk, in bytes: 16 KiB with the at most 3 bytes of a character carried over
     * from the chunk before (docs/watcher.md promises 16 KiB at most).
     */
    static final int SEGMENT_BYTES = 16 * 1024 - 3;
    /** The largest chunk sent, in bytes (docs/watcher.md). */
    static final int CHUNK_BYTES = 16 * 1024;
    /**
     * With secrets to mask, an unfinished line waits for its end, up to this many bytes: masking
     * sees one chunk's text at a time, so a secret printed across two chunks would pass unmasked.
     * A longer line goes up to where no secret can be cut ({@link SecretMasker#safeEnd}).
     */
    static final int HELD_LINE_BYTES = 4 * 1024;
    /**
     * An unfinished line with no such place (one name's value running on) goes whole at this
     * size: held longer, a worker printing without end would hold its output back for ever.
     */
    static final int HELD_VALUE_BYTES = 64 * 1024;

    private final String taskId;
    private final SecretMasker masker;
    private final int maxPending;
    private final Runnable wake;
    private final Deque<Segment> pending = new ArrayDeque<>();
    /** Per stream, the start of a character whose other bytes were not read yet. */
    private byte[] stdoutCarry = new byte[0];
    private byte[] stderrCarry = new byte[0];
    private int pendingBytes;
    private long dropped;
    private int seq;
    private volatile boolean ended;

    public final ByteSink stdout = (bytes, offset, length) -> write(STDOUT, bytes, offset, length);
    public final ByteSink stderr = (bytes, offset, length) -> write(STDERR, bytes, offset, length);

    /** @param wake tells the sender that much is pending; must not block */
    TaskOutput(String taskId, SecretMasker masker, int maxPending, Runnable wake) {
        this.taskId = taskId;
        this.masker = masker;
        this.maxPending = maxPending;
        this.wake = wake;
    }

    String taskId() {
        return taskId;
    }

    /** Bytes read from one stream of the worker; copied, so the reader may reuse its buffer. */
    void write(String stream, byte[] bytes, int offset, int length) {
        if (length <= 0) {
            return;
        }
        boolean eager;
        synchronized (this) {
            int before = pendingBytes;
            int from = offset;
            int left = length;
            while (left > 0) {
                Segment last = pending.peekLast();
                if (last == null || !last.stream.equals(stream) || last.size >= SEGMENT_BYTES) {
                    last = new Segment(stream, System.currentTimeMillis());
                    pending.addLast(last);
                }
                int take = Math.min(left, SEGMENT_BYTES - last.size);
                last.append(bytes, from, take);
                from += take;
                left -= take;
            }
            pendingBytes += length;
            dropOverBound();
            eager = before < EAGER_BYTES && pendingBytes >= EAGER_BYTES;
        }
        if (eager) {
            wake.run();
        }
    }

    /** Bytes that will never come through {@link #write} (a spool tail skipping ahead): reported as dropped. */
    public synchronized void skipped(long bytes) {
        dropped += bytes;
    }

    private void dropOverBound() {
        while (pendingBytes > maxPending && !pending.isEmpty()) {
            Segment oldest = pending.peekFirst();
            int cut = Math.min(oldest.size, pendingBytes - maxPending);
            // the character begun in the carry lost its other bytes; one begun before the cut too
            cut += continuationBytes(oldest.bytes, cut, oldest.size);
            long carried = dropCarry(oldest.stream);
            oldest.dropFront(cut);
            pendingBytes -= cut;
            dropped += cut + carried;
            if (oldest.size == 0) {
                pending.removeFirst();
            }
        }
    }

    private long dropCarry(String stream) {
        byte[] carry = carry(stream);
        setCarry(stream, new byte[0]);
        return carry.length;
    }

    /** The worker ended: the next {@link #take} is the last and sends what any carry holds. */
    void end() {
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    synchronized boolean hasPending() {
        return !pending.isEmpty() || dropped > 0;
    }

    /**
     * The pending output as chunks, masked, numbered on; after {@link #end} also the bytes of an
     * incomplete character (as U+FFFD) and the count of dropped bytes when nothing else carries it.
     */
    synchronized List<OutputChunk> take() {
        boolean last = ended;
        List<OutputChunk> chunks = new ArrayList<>(pending.size() + 1);
        for (Segment s : pending) {
            byte[] bytes = concat(carry(s.stream), s.bytes, s.size);
            int whole = last ? bytes.length : wholeCharacters(bytes);
            if (!last && masker.masks()) {
                whole = beforeOpenSecret(bytes, whole);
            }
            setCarry(s.stream, Arrays.copyOfRange(bytes, whole, bytes.length));
            if (whole > 0) {
                addChunks(chunks, s.stream, new String(bytes, 0, whole, UTF_8), s.at);
            }
        }
        pending.clear();
        pendingBytes = 0;
        if (last) {
            for (String stream : List.of(STDOUT, STDERR)) {
                byte[] carry = carry(stream);
                if (carry.length > 0) {
                    addChunks(chunks, stream, new String(carry, UTF_8), System.currentTimeMillis());
                    setCarry(stream, new byte[0]);
                }
            }
            if (dropped > 0) {
                chunks.add(chunk(STDOUT, "", System.currentTimeMillis()));
            }
        }
        return chunks;
    }

    /**
     * The text masked as a whole, then cut into chunks of at most {@link #CHUNK_BYTES} on whole
     * characters (a held line before it, or a mask longer than its value, may make it longer).
     */
    private void addChunks(List<OutputChunk> chunks, String stream, String text, long at) {
        byte[] masked = masker.mask(text).getBytes(UTF_8);
        int from = 0;
        do {
            int to = Math.min(masked.length, from + CHUNK_BYTES);
            if (to < masked.length) {
                to = from + wholeCharacters(Arrays.copyOfRange(masked, from, to));
            }
            chunks.add(chunk(stream, new String(masked, from, to - from, UTF_8), at));
            from = to;
        } while (from < masked.length);
    }

    /**
     * Where the text sent now ends when secrets are masked: after its last line break, so that an
     * unfinished line (which may hold the start of a secret) goes with the rest of it. A line
     * longer than {@link #HELD_LINE_BYTES} goes up to where its masker can cut it, whole past
     * {@link #HELD_VALUE_BYTES}. A line break is one byte that no UTF-8 character contains, and
     * the masker cuts between characters, so the cut is on a whole character.
     */
    private int beforeOpenSecret(byte[] bytes, int whole) {
        for (int i = whole - 1; i >= 0 && whole - i <= HELD_LINE_BYTES; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        if (whole <= HELD_LINE_BYTES) {
            return 0;
        }
        String text = new String(bytes, 0, whole, UTF_8);
        int safe = masker.safeEnd(text);
        if (safe == 0) {
            return whole > HELD_VALUE_BYTES ? whole : 0;
        }
        return text.substring(0, safe).getBytes(UTF_8).length;
    }

    private OutputChunk chunk(String stream, String maskedText, long at) {
        OutputChunk c = new OutputChunk(taskId, ++seq, stream, maskedText, at);
        if (dropped > 0) {
            c.setDropped(dropped);
            dropped = 0;
        }
        return c;
    }

    /** Chunks the scheduler never got: their bytes count as dropped in the next one. */
    synchronized void lost(List<OutputChunk> chunks) {
        for (OutputChunk c : chunks) {
            dropped += c.getData().getBytes(UTF_8).length + (c.isSetDropped() ? c.getDropped() : 0);
        }
    }

    private byte[] carry(String stream) {
        return STDOUT.equals(stream) ? stdoutCarry : stderrCarry;
    }

    private void setCarry(String stream, byte[] carry) {
        if (STDOUT.equals(stream)) {
            stdoutCarry = carry;
        } else {
            stderrCarry = carry;
        }
    }

    private static byte[] concat(byte[] head, byte[] tail, int tailLength) {
        byte[] all = Arrays.copyOf(head, head.length + tailLength);
        System.arraycopy(tail, 0, all, head.length, tailLength);
        return all;
    }

    /** How many leading bytes end on a whole UTF-8 character (a broken sequence counts as whole). */
    static int wholeCharacters(byte[] bytes) {
        int n = bytes.length;
        // a character is at most 4 bytes: its lead byte is among the last 4
        for (int back = 1; back <= Math.min(4, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: its lead is further back
            }
            int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return length > back ? n - back : n;
        }
        return n;
    }

    /** Continuation bytes starting at {@code from}: the rest of a character whose lead was dropped. */
    private static int continuationBytes(byte[] bytes, int from, int size) {
        int i = from;
        while (i < size && i - from < 3 && (bytes[i] & 0xC0) == 0x80) {
            i++;
        }
        return i - from;
    }

    /** Bytes of one stream, read close together. */
    private static final class Segment {
        final String stream;
        final long at;
        byte[] bytes = new byte[256];
        int size;

        Segment(String stream, long at) {
            this.stream = stream;
            this.at = at;
        }

        void append(byte[] src, int offset, int length) {
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + length, bytes.length * 2));
            }
            System.arraycopy(src, offset, bytes, size, length);
            size += length;
        }

        void dropFront(int n) {
            System.arraycopy(bytes, n, bytes, 0, size - n);
            size -= n;
        }
    }
}

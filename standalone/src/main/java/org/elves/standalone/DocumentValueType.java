package org.elves.standalone;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

import java.nio.ByteBuffer;

/**
 * H2's object type for the documents of mongo-java-server's collections, written as BSON (with
 * mongo-java-server's own wire codec) rather than by Java serialization.
 * <p>
 * Why: H2 writes every value of a page each time the page is stored and reads them all each time
 * it is loaded, and a document's Java serialization costs a stream with its buffers and handle
 * tables, several times the document's size in garbage. With the Watcher recording in the
 * standalone's JVM that was 0.95 of 3.2 GB allocated, most of what the embedded store still
 * allocated. A document is written as the BSON its clients send and receive (so every value it
 * can hold has an encoding, and reads back as the wire would give it: dates in milliseconds);
 * a value BSON cannot carry goes H2's way.
 * <p>
 * The file format: a BSON value is tagged {@link #BSON}, which H2's own type does not use; values
 * of the other tags, Java-serialized ones of files written before, are read as H2 reads them. So
 * older files are read and grow new values beside their old ones; a file with BSON values is not
 * readable by the unmodified backend (an older Elves).
 */
final class DocumentValueType extends ObjectDataType {
    /** The tag of a BSON document: H2's ObjectDataType tags end at 119. */
    static final byte BSON = 127;
    /** A buffer per thread to encode into, kept while it stays small. */
    private static final int KEPT_BUFFER_BYTES = 64 * 1024;
    private static final ThreadLocal<ByteBuf> BUFFERS = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));

    /**
     * A document's memory per byte of its BSON: its map entries, strings and boxed values take
     * about four times their BSON (H2's estimate of twice the Java serialization came to about
     * the same). H2 sizes its page cache by these estimates, so an estimate too low lets the cache
     * hold more than its budget: with twice, the standalone's 80 MB heap ran full (55 full
     * collections in one benchmark run, against 28 with four times).
     */
    private static final int MEMORY_PER_BYTE = 4;

    /** H2's estimate of a document's memory: a moving average, from H2's start. */
    private int averageMemory = 10_000;

    @Override
    public int getMemory(Object obj) {
        return obj instanceof Document ? averageMemory : super.getMemory(obj);
    }

    @Override
    public void write(WriteBuffer buff, Object obj) {
        ByteBuf bson = obj instanceof Document document ? encoded(document) : null;
        if (bson == null) {
            super.write(buff, obj);
            return;
        }
        try {
            noteSize(bson.readableBytes());
            buff.put(BSON).put(bson.array(), bson.arrayOffset() + bson.readerIndex(), bson.readableBytes());
        } finally {
            release(bson);
        }
    }

    @Override
    public Object read(ByteBuffer buff) {
        if (buff.get(buff.position()) != BSON) {
            return super.read(buff);
        }
        buff.get();
        int at = buff.position();
        // BSON starts with its length, little-endian and counting itself
        int length = buff.get(at) & 0xFF | (buff.get(at + 1) & 0xFF) << 8 | (buff.get(at + 2) & 0xFF) << 16 | (buff.get(at + 3) & 0xFF) << 24;
        ByteBuf bson;
        if (buff.hasArray()) {
            bson = Unpooled.wrappedBuffer(buff.array(), buff.arrayOffset() + at, length);
        } else {
            byte[] copy = new byte[length];
            buff.get(at, copy);
            bson = Unpooled.wrappedBuffer(copy);
        }
        Document document = BsonDecoder.decodeBson(bson);
        buff.position(at + length);
        noteSize(length);
        return document;
    }

    /** The document's BSON in this thread's buffer, or null when a value has no BSON encoding. */
    private static ByteBuf encoded(Document document) {
        ByteBuf out = BUFFERS.get().clear();
        try {
            BsonEncoder.encodeDocument(document, out);
            return out;
        } catch (IllegalArgumentException | ClassCastException e) {
            release(out);
            return null;
        }
    }

    /** A buffer that grew past what is worth keeping is let go (the next write starts a small one). */
    private static void release(ByteBuf buffer) {
        if (buffer.capacity() > KEPT_BUFFER_BYTES) {
            BUFFERS.remove();
        }
    }

    private void noteSize(int bytes) {
        averageMemory = (int) ((bytes * (long) MEMORY_PER_BYTE + 15L * averageMemory) / 16);
    }
}

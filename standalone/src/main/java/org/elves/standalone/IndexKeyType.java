package org.elves.standalone;

import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * H2's object type for the keys of mongo-java-server's unique indexes, with the same order and
 * the same bytes on disk, at a fraction of the garbage.
 * <p>
 * Why: an index key is a {@code KeyValue}, which is not {@code Comparable}, so H2's
 * {@link ObjectDataType} orders two keys by their Java serialization: a serialization stream for
 * each key at each of the ~20 comparisons of a lookup, and again for every key of a page it
 * writes or reads. With the Watcher recording in the standalone's JVM that was 0.9 of 3.9 GB
 * allocated, and the garbage collections that followed made the realtime p99. Here a key of one
 * string (every string {@code _id}) is compared by its text and written and read by
 * {@link OneStringKeys}; any other key's serialization is computed once per key object and kept
 * while it is compared again.
 */
final class IndexKeyType extends ObjectDataType {
    /** ObjectDataType's tag of a Java-serialized value, followed by its length and its bytes. */
    private static final byte SERIALIZED = 19;
    /** Per thread, as H2 compares on the calling thread; bounded, the oldest cleared all at once. */
    private static final int KEPT = 1024;
    private static final ThreadLocal<Map<Object, byte[]>> SERIALIZED_KEYS = ThreadLocal.withInitial(IdentityHashMap::new);

    /** H2's estimate of a serialized key's memory: a moving average of twice its size, from H2's start. */
    private int averageMemory = 10_000;

    @Override
    public int compare(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        if (a instanceof KeyValue ka && b instanceof KeyValue kb) {
            String sa = OneStringKeys.plainText(ka);
            String sb = OneStringKeys.plainText(kb);
            if (sa != null && sb != null) {
                // their serializations differ first in the length, then in the text's bytes, which are its characters
                int byLength = Integer.compare(sa.length(), sb.length());
                return byLength != 0 ? byLength : sa.compareTo(sb);
            }
            return compareNotNull(serialized(a), serialized(b));
        }
        return super.compare(a, b);
    }

    @Override
    public int getMemory(Object obj) {
        return obj instanceof KeyValue ? averageMemory : super.getMemory(obj);
    }

    @Override
    public void write(WriteBuffer buff, Object obj) {
        if (!(obj instanceof KeyValue)) {
            super.write(buff, obj);
            return;
        }
        byte[] data = serialized(obj);
        noteSize(data.length);
        buff.put(SERIALIZED).putVarInt(data.length).put(data);
    }

    @Override
    public Object read(ByteBuffer buff) {
        if (buff.get(buff.position()) != SERIALIZED) {
            return super.read(buff);
        }
        int start = buff.position();
        buff.get();
        int length = DataUtils.readVarInt(buff);
        KeyValue key = OneStringKeys.read(buff, length);
        if (key == null) {
            buff.position(start);
            return super.read(buff);
        }
        noteSize(length);
        return key;
    }

    private void noteSize(int serializedLength) {
        averageMemory = (int) ((serializedLength * 2L + 15L * averageMemory) / 16);
    }

    /** By identity: two equal keys may serialize differently (1 and 1L are equal keys in MongoDB). */
    private static byte[] serialized(Object key) {
        Map<Object, byte[]> kept = SERIALIZED_KEYS.get();
        byte[] bytes = kept.get(key);
        if (bytes == null) {
            if (kept.size() >= KEPT) {
                kept.clear();
            }
            bytes = OneStringKeys.serialize((KeyValue) key);
            if (bytes == null) {
                bytes = serialize(key);
            }
            kept.put(key, bytes);
        }
        return bytes;
    }
}

package org.elves.standalone;

import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.elves.standalone.PageBytes.readBack;
import static org.elves.standalone.PageBytes.written;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Index keys are ordered, written and read exactly as H2's own object type does it. */
class IndexKeyTypeTest {
    private final ObjectDataType h2 = new ObjectDataType();
    private final IndexKeyType keys = new IndexKeyType();

    @Test
    void keysCompareExactlyAsH2ComparesThemAlsoWhenComparedAgain() {
        List<Object> all = new ArrayList<>(List.of(new KeyValue("T00A"), new KeyValue("T00B"), new KeyValue("a-much-longer-id"),
                new KeyValue("caf\u00e9"), new KeyValue("\u20ac"), new KeyValue(""), new KeyValue("\u0000"), new KeyValue("x".repeat(70_000)),
                new KeyValue(1), new KeyValue(1L), new KeyValue(2.5), new KeyValue("x", 3), new KeyValue((Object) null),
                "not a key", 42L));
        Random random = new Random(15);
        for (int i = 0; i < 60; i++) {
            all.add(new KeyValue(randomText(random)));
        }
        for (int round = 0; round < 2; round++) {
            for (Object a : all) {
                for (Object b : all) {
                    assertEquals(Integer.signum(h2.compare(a, b)), Integer.signum(keys.compare(a, b)), a + " against " + b);
                }
            }
        }
    }

    @Test
    void keysAreWrittenAndReadBackAsH2WritesThem() {
        Random random = new Random(16);
        List<Object> all = new ArrayList<>(List.of(new KeyValue("1796522353440:result:rpc.cast.queue"), new KeyValue("\u0000"),
                new KeyValue("x".repeat(70_000)), new KeyValue(7), new KeyValue("a", "b"), "not a key", 42L));
        for (int i = 0; i < 200; i++) {
            all.add(new KeyValue(randomText(random)));
        }
        for (Object key : all) {
            byte[] ours = written(keys, key);
            assertArrayEquals(written(h2, key), ours, "the bytes of " + key);
            assertEquals(key, readBack(keys, ours), "read back");
            assertEquals(key, readBack(h2, ours), "and H2 reads the same bytes as the same key");
        }
    }

    /** Plain ids, and text with any character of the basic plane (a lone surrogate, a NUL). */
    static String randomText(Random random) {
        char[] chars = new char[random.nextInt(40)];
        boolean plain = random.nextBoolean();
        for (int c = 0; c < chars.length; c++) {
            chars[c] = (char) (plain ? 0x21 + random.nextInt(0x5E) : random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000));
        }
        return new String(chars);
    }
}

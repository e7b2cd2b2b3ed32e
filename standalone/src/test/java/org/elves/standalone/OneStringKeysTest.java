package org.elves.standalone;

import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A key of one string is written and read byte for byte as the JDK serializes it, and nothing else is taken for one. */
class OneStringKeysTest {

    @Test
    void aKeyOfOneStringIsWrittenByteForByteAsTheJdkSerializesItAndReadBack() {
        Random random = new Random(15);
        List<String> strings = new ArrayList<>(List.of("", "T00A", "1796522353440:result:rpc.cast.queue",
                "\u0000nul", "caf\u00e9", "\u20ac and \ud83d\ude00", "\ud800 lone surrogate", "x".repeat(65_535)));
        for (int i = 0; i < 500; i++) {
            strings.add(IndexKeyTypeTest.randomText(random));
        }
        for (String s : strings) {
            KeyValue key = new KeyValue(s);
            byte[] jdk = ObjectDataType.serialize(key);
            assertArrayEquals(jdk, OneStringKeys.serialize(key), "a key of " + s.length() + " characters");
            ByteBuffer buff = ByteBuffer.wrap(jdk);
            assertEquals(key, OneStringKeys.read(buff, jdk.length));
            assertEquals(jdk.length, buff.position());
        }
    }

    @Test
    void whatIsNotAKeyOfOneStringIsLeftToTheJdk() {
        assertNull(OneStringKeys.serialize(new KeyValue("x".repeat(65_536))), "past 64 KiB");
        assertNull(OneStringKeys.serialize(new KeyValue("\u00e9".repeat(40_000))), "past 64 KiB of UTF-8");
        assertNull(OneStringKeys.serialize(new KeyValue(1)), "not a string");
        assertNull(OneStringKeys.serialize(new KeyValue("a", "b")), "two values");
        assertNull(OneStringKeys.plainText(new KeyValue("caf\u00e9")), "a character of two bytes");
        assertNull(OneStringKeys.plainText(new KeyValue("\u0000")), "NUL, two bytes in modified UTF-8");

        for (Object other : List.of(new KeyValue(1), new KeyValue("a", "b"), new KeyValue("x".repeat(70_000)), "a string alone")) {
            byte[] jdk = ObjectDataType.serialize(other);
            ByteBuffer buff = ByteBuffer.wrap(jdk);
            assertNull(OneStringKeys.read(buff, jdk.length), "not read as a key of one string: " + other);
            assertEquals(0, buff.position(), "and left where it was");
        }
        // the frame of a key whose text is not what it would write back (an overlong encoding of '/')
        byte[] overlong = ObjectDataType.serialize(new KeyValue("\u00e9"));
        int at = overlong.length - 3;
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0xAF;
        assertNull(OneStringKeys.read(ByteBuffer.wrap(overlong), overlong.length));
    }
}

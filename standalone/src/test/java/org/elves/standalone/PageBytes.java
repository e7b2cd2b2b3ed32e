package org.elves.standalone;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.DataType;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A value's bytes as an H2 type writes them on a page, and read back from among other bytes. */
final class PageBytes {
    private PageBytes() {
    }

    static byte[] written(DataType<Object> type, Object value) {
        WriteBuffer buff = new WriteBuffer(64);
        type.write(buff, value);
        ByteBuffer bytes = buff.getBuffer().flip();
        byte[] out = new byte[bytes.remaining()];
        bytes.get(out);
        return out;
    }

    /** Reads the value with other bytes before and after it, checking that the read passed exactly its bytes. */
    static Object readBack(DataType<Object> type, byte[] value) {
        byte[] page = new byte[value.length + 2];
        page[0] = 0x55;
        System.arraycopy(value, 0, page, 1, value.length);
        page[page.length - 1] = 0x66;
        ByteBuffer buff = ByteBuffer.wrap(page);
        buff.position(1);
        Object read = type.read(buff);
        assertEquals(value.length + 1, buff.position(), "the read passed exactly the value's bytes");
        return read;
    }
}

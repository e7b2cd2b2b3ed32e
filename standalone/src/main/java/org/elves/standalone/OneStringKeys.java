package org.elves.standalone;

import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.type.ObjectDataType;

import java.io.ObjectStreamConstants;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The Java serialization of an index key of one string, written and read without a serialization
 * stream (written by hand because the JDK has no cheaper way to produce these exact bytes, and the
 * bytes are the order of every index on disk). The bytes around the string are a key's constant
 * frame, taken at start from the JDK's own serialization of a probe key and checked against a
 * second one; where they do not match (another JDK's stream), every key goes the JDK's way.
 */
final class OneStringKeys {
    private static final byte TC_STRING = ObjectStreamConstants.TC_STRING;
    /** The string's tag and two bytes of length. */
    private static final int STRING_HEAD = 3;
    private static final int MAX_UTF_LENGTH = 0xFFFF;
    private static final String PROBE = "\u00e9lves-probe";
    private static final byte[] HEAD;
    private static final byte[] TAIL;

    static {
        byte[] probe = ObjectDataType.serialize(new KeyValue(PROBE));
        byte[] string = modifiedUtf8(PROBE);
        int at = indexOf(probe, string);
        byte[] head = at < 0 ? null : Arrays.copyOfRange(probe, 0, at);
        byte[] tail = at < 0 ? null : Arrays.copyOfRange(probe, at + string.length, probe.length);
        if (head != null && !Arrays.equals(ObjectDataType.serialize(new KeyValue("x")), frame(head, modifiedUtf8("x"), tail))) {
            head = null;
        }
        HEAD = head;
        TAIL = tail;
    }

    private OneStringKeys() {
    }

    /** The key's serialization, or null when it is not one string (or this JDK's frame is unknown). */
    static byte[] serialize(KeyValue key) {
        if (HEAD == null || key.size() != 1 || !(key.get(0) instanceof String s)) {
            return null;
        }
        byte[] string = modifiedUtf8(s);
        return string == null ? null : frame(HEAD, string, TAIL);
    }

    /**
     * The key's one string when its serialization is the string's characters, each a byte
     * (1 to 127), after a length that grows with them; null for any other key.
     */
    static String plainText(KeyValue key) {
        if (HEAD == null || key.size() != 1 || !(key.get(0) instanceof String s) || s.length() > MAX_UTF_LENGTH) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7F) {
                return null;
            }
        }
        return s;
    }

    /**
     * The key of one string whose serialization are the {@code length} bytes at the buffer's
     * position, which it then passes; null (the position left as it was) for any other bytes.
     */
    static KeyValue read(ByteBuffer buff, int length) {
        if (HEAD == null) {
            return null;
        }
        int text = HEAD.length + STRING_HEAD;
        int textLength = length - text - TAIL.length;
        if (textLength < 0 || buff.remaining() < length) {
            return null;
        }
        byte[] data = new byte[length];
        buff.get(buff.position(), data);
        if (!Arrays.equals(data, 0, HEAD.length, HEAD, 0, HEAD.length) || data[HEAD.length] != TC_STRING
                || ((data[HEAD.length + 1] & 0xFF) << 8 | data[HEAD.length + 2] & 0xFF) != textLength
                || !Arrays.equals(data, text + textLength, length, TAIL, 0, TAIL.length)) {
            return null;
        }
        String s = decode(data, text, textLength);
        // only what this class would write back byte for byte is its own; the rest is the JDK's to read
        byte[] again = s == null ? null : modifiedUtf8(s);
        if (again == null || !Arrays.equals(data, text - STRING_HEAD, text + textLength, again, 0, again.length)) {
            return null;
        }
        buff.position(buff.position() + length);
        return new KeyValue(s);
    }

    /** Modified UTF-8 as DataInput.readUTF reads it; null for bytes it would refuse. */
    private static String decode(byte[] data, int from, int length) {
        char[] chars = new char[length];
        int n = 0;
        int i = from;
        int end = from + length;
        while (i < end) {
            int b = data[i] & 0xFF;
            if (b < 0x80) {
                chars[n++] = (char) b;
                i++;
            } else if ((b & 0xE0) == 0xC0 && i + 1 < end) {
                chars[n++] = (char) ((b & 0x1F) << 6 | data[i + 1] & 0x3F);
                i += 2;
            } else if ((b & 0xF0) == 0xE0 && i + 2 < end) {
                chars[n++] = (char) ((b & 0x0F) << 12 | (data[i + 1] & 0x3F) << 6 | data[i + 2] & 0x3F);
                i += 3;
            } else {
                return null;
            }
        }
        return new String(chars, 0, n);
    }

    /** The string as ObjectOutputStream writes it: its tag, its length, its modified UTF-8 (null past 64 KiB). */
    private static byte[] modifiedUtf8(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            length += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
        }
        if (length > MAX_UTF_LENGTH) {
            return null;
        }
        byte[] out = new byte[STRING_HEAD + length];
        out[0] = TC_STRING;
        out[1] = (byte) (length >>> 8);
        out[2] = (byte) length;
        int at = STRING_HEAD;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x0001 && c <= 0x007F) {
                out[at++] = (byte) c;
            } else if (c <= 0x07FF) {
                out[at++] = (byte) (0xC0 | (c >> 6) & 0x1F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else {
                out[at++] = (byte) (0xE0 | (c >> 12) & 0x0F);
                out[at++] = (byte) (0x80 | (c >> 6) & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return out;
    }

    private static byte[] frame(byte[] head, byte[] string, byte[] tail) {
        byte[] all = Arrays.copyOf(head, head.length + string.length + tail.length);
        System.arraycopy(string, 0, all, head.length, string.length);
        System.arraycopy(tail, 0, all, head.length + string.length, tail.length);
        return all;
    }

    private static int indexOf(byte[] in, byte[] part) {
        for (int i = 0; i + part.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }
}

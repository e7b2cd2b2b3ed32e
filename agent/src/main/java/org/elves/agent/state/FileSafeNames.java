package org.elves.agent.state;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Task ids as file names and back: ids come from the network, so no id may name a path outside its
 * directory or a hidden file. Letters, digits, '.', '-', '@' are kept, every other byte is _XX.
 */
public final class FileSafeNames {
    private FileSafeNames() {
    }

    /** The id as a file name ending in {@code suffix}. */
    public static String of(String id, String suffix) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length + suffix.length());
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '@' || (c == '.' && i > 0);
            if (plain) {
                b.append((char) c);
            } else {
                b.append('_').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.append(suffix).toString();
    }

    /** The id a file name made by {@link #of} stands for. */
    public static String idOf(String fileName, String suffix) {
        String s = fileName.endsWith(suffix) ? fileName.substring(0, fileName.length() - suffix.length()) : fileName;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

package org.elves.protocol;

import java.nio.file.Path;

/**
 * A path's name and directory where Elves needs them. {@link Path#getFileName()} and
 * {@link Path#getParent()} return null for a root: these fail then with the path in the message,
 * instead of a bare NullPointerException further on.
 */
public final class FilePaths {
    private FilePaths() {
    }

    /** The last element of {@code path}, e.g. the name of a directory entry. */
    public static String name(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("[" + path + "] has no file name");
        }
        return name.toString();
    }

    /** The (absolute) directory that holds {@code file}. */
    public static Path parent(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IllegalArgumentException("[" + file + "] is a root, not a file in a directory");
        }
        return dir;
    }
}

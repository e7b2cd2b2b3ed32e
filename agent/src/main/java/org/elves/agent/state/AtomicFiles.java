package org.elves.agent.state;

import org.elves.agent.LightJson;
import org.elves.protocol.FilePaths;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;

/**
 * Whole-file writes that a crash never leaves half done: a temp file in the same dir, then a rename.
 * The files are private to the agent's user (0600): state files hold task params and results.
 */
public final class AtomicFiles {
    /** Temp files start with this, so directory scans can tell them from finished files. */
    public static final String TEMP_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code content}, creating its directory if needed.
     *
     * @param force also flush the data to the disk before the rename (survives a power loss, costs
     *              a few ms)
     */
    public static void write(Path target, byte[] content, boolean force) throws IOException {
        write(target, force, ch -> {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        });
    }

    /** What fills the temp file; it may write any number of times. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** As {@link #write(Path, byte[], boolean)}, for content written piece by piece (a large file). */
    public static void write(Path target, boolean force, Content content) throws IOException {
        Path dir = FilePaths.parent(target);
        PrivateFiles.createDirectories(dir);
        Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + Thread.currentThread().getId());
        try {
            try (FileChannel ch = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), PrivateFiles.FILE)) {
                content.writeTo(ch);
                if (force) {
                    ch.force(true);
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (force) {
                forceDirectory(dir);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Flushes the directory entry of a rename too; where a directory cannot be opened, its file system orders it. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported here (not Linux): the rename is still atomic, only its durability is the fs's
        }
    }

    /**
     * The JSON a state file written by {@link #write} holds; null when there is no such file.
     *
     * @throws IOException when it cannot be read or is not JSON
     */
    public static Object readJson(Path file) throws IOException {
        try {
            return LightJson.parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}

package org.elves.agent.cron;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Whole-file writes that a crash never leaves half done: a temp file in the same dir, then a rename. */
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
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + Thread.currentThread().getId());
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (force) {
                    ch.force(true);
                }
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The JSON a state file written by {@link #write} holds; null when there is no such file.
     *
     * @throws IOException when it cannot be read or is not JSON
     */
    public static Object readJson(Path file) throws IOException {
        try {
            return org.elves.agent.LightJson.parse(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }
}

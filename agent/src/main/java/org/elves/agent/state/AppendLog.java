package org.elves.agent.state;

import org.elves.agent.LightJson;
import org.elves.protocol.FilePaths;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A file of JSON lines, one record per line, only ever appended to, and replaced as a whole
 * (atomically) when it is compacted. A crash can tear at most the last line: it is skipped when
 * read back, and the next append starts on a fresh line. Not thread-safe: its owner serialises.
 */
public final class AppendLog implements AutoCloseable {
    private static final byte NEWLINE = '\n';

    private final Path file;
    private FileChannel channel;
    private long size;

    private AppendLog(Path file) {
        this.file = file;
    }

    /**
     * Opens the log for appending (creating it, private), after {@code replay} got each record
     * already in it, oldest first.
     *
     * @return the log, and how many lines were not readable records (a torn tail, garbage)
     */
    public static AppendLog open(Path file, Consumer<Map<?, ?>> replay, long[] badLines) throws IOException {
        PrivateFiles.createDirectories(FilePaths.parent(file));
        badLines[0] = read(file, replay);
        boolean torn = !endsWithNewline(file);
        AppendLog log = new AppendLog(file);
        log.reopen();
        if (torn) {
            // a torn last line: the next record must not be glued to it
            log.write(new byte[]{NEWLINE}, false);
        }
        return log;
    }

    private static long read(Path file, Consumer<Map<?, ?>> replay) throws IOException {
        long bad = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                Object record;
                try {
                    record = LightJson.parse(line);
                } catch (IOException | RuntimeException e) {
                    bad++;
                    continue;
                }
                if (record instanceof Map) {
                    replay.accept((Map<?, ?>) record);
                } else {
                    bad++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return bad;
    }

    /** True for an empty or missing file too: nothing to separate from. */
    private static boolean endsWithNewline(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                return true;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            return last.get(0) == NEWLINE;
        } catch (NoSuchFileException e) {
            return true;
        }
    }

    /**
     * Appends one record as a line.
     *
     * @param force also flush it to the disk (survives a power loss; costs a disk flush)
     */
    public void append(Map<String, Object> record, boolean force) throws IOException {
        byte[] json = LightJson.writeValue(record).getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = NEWLINE;
        write(line, force);
    }

    private void write(byte[] bytes, boolean force) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        // one write call for a line: O_APPEND keeps it in one piece
        while (buf.hasRemaining()) {
            size += channel.write(buf);
        }
        if (force) {
            channel.force(false);
        }
    }

    /** Replaces the whole log with these records (written aside, flushed, renamed over it). */
    public void rewrite(Iterable<Map<String, Object>> records) throws IOException {
        AtomicFiles.write(file, true, ch -> {
            StringBuilder chunk = new StringBuilder(64 * 1024);
            for (Map<String, Object> r : records) {
                chunk.append(LightJson.writeValue(r)).append('\n');
                if (chunk.length() >= 64 * 1024) {
                    writeFully(ch, chunk);
                }
            }
            writeFully(ch, chunk);
        });
        channel.close();
        reopen();
    }

    private static void writeFully(FileChannel ch, StringBuilder chunk) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(chunk.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        chunk.setLength(0);
    }

    private void reopen() throws IOException {
        channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), PrivateFiles.FILE);
        size = channel.size();
    }

    /** Bytes in the file now. */
    public long size() {
        return size;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

package org.elves.agent.runner;

import org.elves.agent.output.ByteSink;
import org.elves.agent.output.TaskOutput;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Follows the spool files of a running async worker for the live output, as {@code tail -f}
 * would: each {@link #pump} hands what was appended since the last one to the task's output. The
 * worker writes to the files whatever the agent does; this only reads.
 */
final class SpoolTail implements AutoCloseable {
    private final File out;
    private final File err;

    SpoolTail(Spool spool, TaskOutput task, int maxPendingBytes) {
        out = new File(spool.out(), task.stdout, task, maxPendingBytes);
        err = new File(spool.err(), task.stderr, task, maxPendingBytes);
    }

    /** Reads what both files gained; a file that is far ahead is skipped to its last bytes. */
    void pump() {
        out.pump();
        err.pump();
    }

    @Override
    public void close() {
        out.close();
        err.close();
    }

    /** One spool file and how far it was read. */
    private static final class File {
        private static final int READ_BYTES = 16 * 1024;
        private final Path path;
        private final ByteSink sink;
        private final TaskOutput task;
        private final int maxPendingBytes;
        private final ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);
        private FileChannel channel;
        private long position;

        File(Path path, ByteSink sink, TaskOutput task, int maxPendingBytes) {
            this.path = path;
            this.sink = sink;
            this.task = task;
            this.maxPendingBytes = maxPendingBytes;
        }

        void pump() {
            try {
                if (channel == null) {
                    channel = FileChannel.open(path, StandardOpenOption.READ);
                }
                long behind = channel.size() - position;
                if (behind > maxPendingBytes) {
                    // more than the output may hold anyway: what it would drop is not read at all
                    task.skipped(behind - maxPendingBytes);
                    position += behind - maxPendingBytes;
                }
                // at most one output's worth per pump: a worker writing without pause cannot hold the caller
                long budget = maxPendingBytes;
                int n;
                while (budget > 0 && (n = channel.read(buffer.clear(), position)) > 0) {
                    position += n;
                    budget -= n;
                    sink.write(buffer.array(), 0, n);
                }
            } catch (NoSuchFileException e) {
                // not created yet
            } catch (IOException e) {
                close(); // the file went (deleted under us): reopened at the next pump, if it is back
            }
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // read-only
                }
                channel = null;
            }
        }
    }
}

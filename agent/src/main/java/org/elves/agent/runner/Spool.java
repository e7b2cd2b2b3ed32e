package org.elves.agent.runner;

import org.elves.agent.state.FileSafeNames;
import org.elves.agent.state.PrivateFiles;
import org.elves.protocol.FilePaths;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where one async worker writes its stdout and stderr: two files of the agent's state dir instead
 * of pipes, so the worker outlives the agent's death without blocking or dying on a closed pipe, and
 * what it wrote is still there for the agent that adopts it after the restart.
 */
public final class Spool {
    private static final String OUT = ".out";
    private static final String ERR = ".err";

    private final Path out;
    private final Path err;

    private Spool(Path out, Path err) {
        this.out = out;
        this.err = err;
    }

    /** The spool of the task with this id in {@code dir} (nothing is created yet). */
    public static Spool of(Path dir, String taskId) {
        return new Spool(dir.resolve(FileSafeNames.of(taskId, OUT)), dir.resolve(FileSafeNames.of(taskId, ERR)));
    }

    /** Creates the (private) directory; the files are created when the worker starts. */
    void prepare() throws IOException {
        PrivateFiles.createDirectories(FilePaths.parent(out));
    }

    Path out() {
        return out;
    }

    Path err() {
        return err;
    }

    /** The live process writing to this spool (see {@link ProcessIdentity#writingTo}), or null. */
    public ProcessIdentity writer() {
        return ProcessIdentity.writingTo(out);
    }

    /** Whether the worker was started: the files are created just before it is. */
    public boolean exists() {
        return Files.exists(out);
    }

    /** What the worker wrote so far, both streams; a stat each, cheap enough to poll. */
    long bytes() {
        return size(out) + size(err);
    }

    CapturedOutput stdout(int cap) throws IOException {
        return head(out, cap);
    }

    CapturedOutput stderr(int cap) throws IOException {
        return head(err, cap);
    }

    /**
     * The outcome of a worker that was not this agent's child: the output tags decide alone (see
     * {@link WorkerOutput#interpretAdopted}).
     */
    public WorkerOutcome adoptedOutcome(int outputMaxBytes, long costMillis) {
        try {
            return WorkerOutput.interpretAdopted(stdout(outputMaxBytes), stderr(AppRunner.STDERR_KEPT).text(), costMillis);
        } catch (IOException e) {
            return WorkerOutcome.error("app exec error : output of the worker not readable: " + e.getMessage(), costMillis);
        }
    }

    /** Whether the worker printed its flag: its answer is complete, whoever reaped it. */
    public boolean holdsAnswer(int outputMaxBytes) {
        try {
            return WorkerOutput.hasFlag(stdout(outputMaxBytes));
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes both files; call once the result they gave is journaled. */
    public void delete() {
        try {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        } catch (IOException e) {
            // left for the next start's sweep of the spool dir
        }
    }

    private static CapturedOutput head(Path file, int cap) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] kept = in.readNBytes(cap);
            return new CapturedOutput(kept, kept.length, Math.max(kept.length, Files.size(file)));
        } catch (NoSuchFileException e) {
            return new CapturedOutput(new byte[0], 0, 0);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}

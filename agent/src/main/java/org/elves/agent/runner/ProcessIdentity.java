package org.elves.agent.runner;

import org.elves.protocol.FilePaths;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process as it can be recognised again after the agent restarted: its pid and its start time in
 * clock ticks since boot ({@code /proc/<pid>/stat} field 22). The kernel reuses pids, so a pid alone
 * could name a stranger; pid and start time together name one process of one boot (Linux only:
 * elsewhere no identity is known and nothing is adopted).
 */
public record ProcessIdentity(long pid, long startTicks) {
    private static final Path PROC = Path.of("/proc");
    private static final String BOOT_ID = readBootId();

    /** The identity of the running process with this pid, or null when there is none (or no /proc). */
    public static ProcessIdentity of(long pid) {
        Stat stat = Stat.read(pid);
        return stat == null ? null : new ProcessIdentity(pid, stat.startTicks);
    }

    /**
     * The process that has {@code file} as its standard output, the earliest started if several do
     * (a worker's children inherit its stdout); null when none (or no /proc). Scans every process
     * the agent's user may look into: for the rare worker whose pid the agent died before noting.
     */
    public static ProcessIdentity writingTo(Path file) {
        Path target = file.toAbsolutePath().normalize();
        ProcessIdentity first = null;
        try (java.nio.file.DirectoryStream<Path> all = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path proc : all) {
                try {
                    if (!Files.readSymbolicLink(proc.resolve("fd/1")).equals(target)) {
                        continue;
                    }
                } catch (IOException | RuntimeException e) {
                    continue; // gone meanwhile, or not ours to look into
                }
                ProcessIdentity found = of(Long.parseLong(FilePaths.name(proc)));
                if (found != null && found.alive() && (first == null || found.startTicks < first.startTicks)) {
                    first = found;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return first;
    }

    /** Whether this very process still runs (a zombie does not: it has exited). */
    public boolean alive() {
        Stat now = Stat.read(pid);
        return now != null && now.startTicks == startTicks && now.state != 'Z';
    }

    /** Kills this process with everything it started, unless it is gone (or its pid is another's now). */
    public void kill() {
        if (alive()) {
            ProcessHandle.of(pid).ifPresent(ProcessTree::kill);
        }
    }

    /**
     * This boot of the machine ({@code /proc/sys/kernel/random/boot_id}; "" when unknown): start
     * ticks count from boot, so identities from another boot are never compared.
     */
    public static String bootId() {
        return BOOT_ID;
    }

    private static String readBootId() {
        try {
            return Files.readString(PROC.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static final class Stat {
        /** /proc/<pid>/stat is one line of 52 numbers and a command name of at most 64 bytes. */
        private static final int STAT_MAX = 1024;
        final char state;
        final long startTicks;

        private Stat(char state, long startTicks) {
            this.state = state;
            this.startTicks = startTicks;
        }

        static Stat read(long pid) {
            String line;
            // a plain stream on a String path: measured 12 us against 33 us for Files.readString,
            // and every worker's start pays it
            try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
                byte[] buf = new byte[STAT_MAX];
                int n = in.readNBytes(buf, 0, buf.length);
                line = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            } catch (IOException | RuntimeException e) {
                return null;
            }
            // the command name (field 2) is in parentheses and may hold blanks or ')' itself
            int close = line.lastIndexOf(')');
            if (close < 0) {
                return null;
            }
            String[] fields = line.substring(close + 2).split(" ");
            // fields[0] is field 3 (state), so field 22 (starttime) is fields[19]
            if (fields.length < 20 || fields[0].isEmpty()) {
                return null;
            }
            try {
                return new Stat(fields[0].charAt(0), Long.parseLong(fields[19]));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}

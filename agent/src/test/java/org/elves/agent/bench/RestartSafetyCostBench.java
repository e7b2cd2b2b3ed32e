package org.elves.agent.bench;

import org.elves.agent.TestApps;
import org.elves.agent.runner.AppRunner;
import org.elves.agent.runner.InstalledApps;
import org.elves.agent.runner.LaunchMechanism;
import org.elves.agent.runner.ProcessIdentity;
import org.elves.agent.runner.Spool;
import org.elves.agent.runner.WorkerCall;
import org.elves.agent.task.TaskLedger;
import org.elves.agent.task.TaskMemory;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What surviving restarts costs per task, printed, not asserted (run it on the machine in question):
 * <pre>
 *   mvn -q -o -pl agent -am test-compile
 *   java -cp agent/target/test-classes:agent/target/classes:$(deps) org.elves.agent.bench.RestartSafetyCostBench [dir]
 * </pre>
 * {@code dir} (default: the system temp dir) should be on the disk the state dir will use.
 * <ol>
 *   <li>the journal per realtime task (claim, pid, finish: plain appends) against the in-memory
 *   TaskMemory alone;</li>
 *   <li>the journal per async task (the claim flushed, pid, finish, delivered);</li>
 *   <li>one flush (fdatasync) of an appended line;</li>
 *   <li>reading a worker's identity from /proc (once per worker, realtime ones too);</li>
 *   <li>a no-op shell worker through pipes against spool files, start to result.</li>
 * </ol>
 */
public final class RestartSafetyCostBench {
    private static final int TASKS = 50_000;
    private static final int FSYNCS = 300;
    private static final int WORKERS = 400;

    private RestartSafetyCostBench() {
    }

    public static void main(String[] args) throws Exception {
        LaunchMechanism.preferFast();
        Path base = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir")),
                "elves-bench-");
        System.out.println("state dir: " + base);
        for (int round = 1; round <= 2; round++) { // the first round warms the JIT up
            System.out.println("-- round " + round);
            journalPerTask(base.resolve("r" + round));
            fsync(base.resolve("fsync" + round));
            procStat();
            pipesVersusSpool(base.resolve("w" + round));
        }
    }

    private static Instruct ins(String id, String type) {
        return new Instruct(id, "10.0.0.5", type, "NP", "app", "f", "{\"k\":\"v\"}", 30, "");
    }

    private static void journalPerTask(Path dir) {
        TaskMemory plain = new TaskMemory(100_000, 3_600_000, 4 << 20);
        long t0 = System.nanoTime();
        for (int i = 0; i < TASKS; i++) {
            String id = "M" + i;
            plain.claim(id);
            plain.finish(id, new Reinstruct(ins(id, "rt"), 1, 3, "result " + i));
        }
        double memoryNs = (System.nanoTime() - t0) / (double) TASKS;

        try (TaskLedger ledger = TaskLedger.open("10.0.0.5", dir.resolve(TaskLedger.FILE),
                new TaskMemory(100_000, 3_600_000, 4 << 20))) {
            long t1 = System.nanoTime();
            for (int i = 0; i < TASKS; i++) {
                String id = "R" + i;
                Instruct ins = ins(id, "rt");
                ledger.claim(ins, true);
                ledger.started(id, new ProcessIdentity(10_000 + i, i));
                ledger.finish(id, new Reinstruct(ins, 1, 3, "result " + i));
            }
            double rtNs = (System.nanoTime() - t1) / (double) TASKS;
            int asyncTasks = FSYNCS;
            long t2 = System.nanoTime();
            for (int i = 0; i < asyncTasks; i++) {
                String id = "A" + i;
                Instruct ins = ins(id, "queue");
                ledger.claim(ins, false);
                ledger.started(id, new ProcessIdentity(20_000 + i, i));
                ledger.finish(id, new Reinstruct(ins, 1, 3, "result " + i));
                ledger.delivered(id);
            }
            double asyncUs = (System.nanoTime() - t2) / 1000.0 / asyncTasks;
            System.out.printf("task memory alone: %.2f us/task; journaled realtime task: %.2f us/task (+%.2f us);"
                            + " journaled async task (claim flushed): %.1f us/task; journal now %d bytes%n",
                    memoryNs / 1000, rtNs / 1000, (rtNs - memoryNs) / 1000, asyncUs, ledger.journalBytes());
        }
    }

    /** Each worker's identity is read from /proc once it started, realtime ones too. */
    private static void procStat() {
        long self = ProcessHandle.current().pid();
        long t = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            ProcessIdentity.of(self);
        }
        System.out.printf("reading a worker's identity (/proc/<pid>/stat): %.1f us%n", (System.nanoTime() - t) / 10_000 / 1000.0);
    }

    private static void fsync(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        long[] ns = new long[FSYNCS];
        byte[] line = "{\"e\":\"claim\",\"id\":\"0123456789ABCDEF\",\"at\":1700000000000}\n".getBytes();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < FSYNCS; i++) {
                long t = System.nanoTime();
                ch.write(java.nio.ByteBuffer.wrap(line));
                ch.force(false);
                ns[i] = System.nanoTime() - t;
            }
        }
        System.out.println("append + fdatasync of a journal line: " + percentiles(ns));
    }

    private static void pipesVersusSpool(Path dir) throws IOException {
        Path apps = Files.createDirectories(dir.resolve("apps"));
        TestApps.shell(apps, "noop", TestApps.tags("true", "ok"));
        ExecutorService io = Executors.newCachedThreadPool();
        try (AppRunner runner = new AppRunner("10.0.0.5", new InstalledApps(apps, Map.of()), "python3", 1 << 20, io)) {
            long[] pipes = new long[WORKERS];
            long[] spooled = new long[WORKERS];
            for (int i = 0; i < WORKERS; i++) {
                // interleaved, so a machine's hiccup hits both alike
                long t = System.nanoTime();
                runner.run(WorkerCall.of("noop", "f", ""), "P" + i, null, w -> { });
                pipes[i] = System.nanoTime() - t;
                Spool spool = Spool.of(dir.resolve("spool"), "S" + i);
                t = System.nanoTime();
                runner.run(WorkerCall.of("noop", "f", ""), "S" + i, spool, w -> { });
                spool.delete();
                spooled[i] = System.nanoTime() - t;
            }
            System.out.println("no-op sh worker through pipes: " + percentiles(pipes));
            System.out.println("no-op sh worker through spool files (incl. their deletion): " + percentiles(spooled));
        } finally {
            io.shutdownNow();
        }
    }

    private static String percentiles(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("p50 %.1f us, p90 %.1f us, p99 %.1f us, mean %.1f us", s[s.length / 2] / 1000.0,
                s[s.length * 9 / 10] / 1000.0, s[s.length * 99 / 100] / 1000.0,
                Arrays.stream(s).average().orElse(0) / 1000.0);
    }
}

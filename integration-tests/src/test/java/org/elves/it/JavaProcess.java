package org.elves.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A part of Elves started as its own JVM with this test's class path, output kept in a file. */
final class JavaProcess implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final String name;

    private JavaProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /**
     * For many processes on few cores: the quick compiler only and one GC thread, so that a dozen
     * JVMs starting at once do not spend the machine on JIT and GC threads (steady-state speed
     * matters little to a test).
     */
    static final List<String> SMALL_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:CICompilerCount=1",
            "-Xss512k", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");

    static JavaProcess start(String name, Map<String, String> env, String mainClass, List<String> args) throws IOException {
        return start(name, env, List.of(), mainClass, args);
    }

    static JavaProcess start(String name, Map<String, String> env, List<String> jvmOptions, String mainClass,
                             List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Path output = Files.createTempFile("elves-" + name, ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return new JavaProcess(name, builder.start(), output);
    }

    /** Waits until the process printed {@code text}; fails with its output when it does not. */
    void awaitOutput(String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not print '" + text + "' within " + limit + ":\n" + output());
    }

    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + limit);
        }
        return process.exitValue();
    }

    /** SIGTERM, as Ctrl-C or a service manager stops it. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: a crash. */
    void kill() {
        process.destroyForcibly();
    }

    String output() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        Files.deleteIfExists(output);
    }
}

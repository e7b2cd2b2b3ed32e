package org.elves.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkout's {@code ./elves} launcher, run as a process: what a running center or agent writes
 * under ELVES_HOME (apps' scripts, properties), newer than the jar, does not make it rebuild, and a
 * command's {@code --json} output on stdout is JSON only.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LauncherTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path BUILT_JAR = ROOT.resolve("cli/target/elves.jar");
    private static final Path RUN_JAR = ROOT.resolve("cli/target/run/elves.jar");

    private record Run(int exit, String stdout, String stderr) {
    }

    @Test
    void dataUnderElvesHomeDoesNotRebuildAndJsonStdoutIsOnlyJson() throws Exception {
        assertTrue(Files.isExecutable(ROOT.resolve("elves")), "no launcher at " + ROOT);
        // a current jar to start from: this run may build (the reactor's jar can be older than a
        // source edited since), which is not what is under test
        Run warmUp = launcher(Map.of(), 300, "--help");
        assertEquals(0, warmUp.exit(), warmUp.stderr());
        FileTime built = Files.getLastModifiedTime(BUILT_JAR);
        FileTime installed = Files.getLastModifiedTime(RUN_JAR);

        // The default home (.elves/ in the checkout), then a home that is not a dot-directory and
        // sits inside a module, where only ELVES_HOME itself tells data from sources (which is why
        // its data is written only for the run that names it).
        String tag = "launcher-test-" + UUID.randomUUID();
        Path defaultHomeData = ROOT.resolve(".elves").resolve(tag);
        Path moduleHome = ROOT.resolve("apps").resolve(tag);
        try {
            writeHomeData(built, defaultHomeData);
            Run defaultHome = launcher(Map.of(), 120, "--help");
            assertEquals(0, defaultHome.exit(), defaultHome.stderr());
            assertFalse(defaultHome.stderr().contains("building"), defaultHome.stderr());

            writeHomeData(built, moduleHome);
            // a stopped center: the port of a closed socket
            writeNewerThan(built, moduleHome.resolve("credentials.properties"),
                    "api=http://127.0.0.1:" + freePort() + "\nauth_id=0123456789ABCDEF\nauth_key=0123456789abcdef0123456789abcdef\n");
            Run exec = launcher(Map.of("ELVES_HOME", moduleHome.toString()), 120,
                    "exec", "--ip", "127.0.0.1", "--app", "apptest", "--func", "helloword", "--json");
            assertEquals(3, exec.exit(), exec.stdout() + exec.stderr());
            assertFalse(exec.stderr().contains("building"), exec.stderr());
            if (!exec.stdout().isBlank()) {
                new ObjectMapper().readTree(exec.stdout()); // throws on anything but JSON
            }

            assertEquals(built, Files.getLastModifiedTime(BUILT_JAR), "the build's jar was rewritten");
            assertEquals(installed, Files.getLastModifiedTime(RUN_JAR), "the running jar was replaced");
        } finally {
            deleteTree(defaultHomeData);
            deleteTree(moduleHome);
        }
    }

    private static Run launcher(Map<String, String> env, long seconds, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("elves").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("elves-launcher", ".out");
        Path err = Files.createTempFile("elves-launcher", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("ELVES_HOME");
            builder.environment().remove("ELVES_JAVA_OPTS");
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                // the launcher's children too (a Maven build, the JVM), not only the shell
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("./elves " + String.join(" ", args) + " still runs after " + seconds
                        + " s:\n" + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** What a running center and agent leave in their home: apps' scripts, properties, routes. */
    private static void writeHomeData(FileTime jar, Path home) throws IOException {
        writeNewerThan(jar, home.resolve("agent/apps/x/app-worker.py"), "print('an agent app')\n");
        writeNewerThan(jar, home.resolve("agent/apps/x/app-worker.sh"), "echo an agent app\n");
        writeNewerThan(jar, home.resolve("agent/agent.properties"), "written=by the agent\n");
        writeNewerThan(jar, home.resolve("routes/route.yaml"), "- route: {}\n");
        writeNewerThan(jar, home.resolve("src/main/java/Data.java"), "class Data {}\n");
    }

    /** A file as a center or agent writes it, a minute newer than the jar so no clock tick hides it. */
    private static void writeNewerThan(FileTime jar, Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(jar.toMillis() + 60_000));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

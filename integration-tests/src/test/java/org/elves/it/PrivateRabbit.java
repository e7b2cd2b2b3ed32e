package org.elves.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ node of a test's own (name, port and data directory), so a test may stop and restart
 * its broker without touching the shared one every other test uses (rabbit@localhost, 5672).
 */
final class PrivateRabbit implements AutoCloseable {
    private final String node;
    private final int port;
    private final int distPort;
    private final Path dir;

    private PrivateRabbit(String node, int port, int distPort, Path dir) {
        this.node = node;
        this.port = port;
        this.distPort = distPort;
        this.dir = dir;
    }

    /** Starts node {@code name@localhost} listening on 127.0.0.1:{@code port}; waits until it runs. */
    static PrivateRabbit start(String name, int port, int distPort) throws Exception {
        Path dir = Files.createTempDirectory("elves-rabbit-" + name);
        // the server runs as the rabbitmq user when started by root
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("rabbitmq.conf"),
                "listeners.tcp.local = 127.0.0.1:" + port + "\nloopback_users = none\n", StandardCharsets.UTF_8);
        PrivateRabbit rabbit = new PrivateRabbit(name + "@localhost", port, distPort, dir);
        rabbit.startServer();
        return rabbit;
    }

    int port() {
        return port;
    }

    /** {@code rabbitmq-server -detached} on the kept data directory, then waits for it. */
    void startServer() throws Exception {
        ProcessBuilder server = new ProcessBuilder("rabbitmq-server", "-detached");
        server.environment().putAll(Map.of(
                "RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString(),
                "RABBITMQ_NODENAME", node,
                "RABBITMQ_DIST_PORT", String.valueOf(distPort),
                "RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString(),
                "RABBITMQ_LOG_BASE", dir.resolve("log").toString(),
                "RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("plugins").toString(),
                "RABBITMQ_PID_FILE", pidFile().toString()));
        run(server, 30);
        ctl("wait", pidFile().toString(), "--timeout", "60");
    }

    /** {@code rabbitmqctl stop_app / start_app / stop / list_queues ...} on this node; its output. */
    String ctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-n", node));
        command.addAll(List.of(args));
        return run(new ProcessBuilder(command), 90);
    }

    /** Stops the node whatever its state; the data directory goes with it. */
    @Override
    public void close() throws Exception {
        try {
            ctl("stop", pidFile().toString());
        } catch (Exception | AssertionError e) {
            // not answering: end its OS process (the one whose pid this node wrote)
            if (Files.exists(pidFile())) {
                long pid = Long.parseLong(Files.readString(pidFile()).trim());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Path pidFile() {
        return dir.resolve("pid");
    }

    /** Output goes to a file: the detached server would hold a pipe open after the command returned. */
    private String run(ProcessBuilder builder, int seconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "command", ".out");
        Process p = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(builder.command() + " did not finish within " + seconds + " s");
        }
        String text = Files.readString(out);
        Files.delete(out);
        if (p.exitValue() != 0) {
            throw new AssertionError(builder.command() + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }
}

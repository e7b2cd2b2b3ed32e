package org.elves.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What test workers really ran: each run appends the param it got (base64, as the agent passes
 * it) to a file named after its agent, so a test can tell how often each task ran, whatever the
 * center recorded.
 */
final class RunLog {
    private final Path dir;

    private RunLog(Path dir) {
        this.dir = dir;
    }

    static RunLog create() throws Exception {
        return new RunLog(Files.createTempDirectory("elves-runs"));
    }

    /** The worker's shell line that records its run (the worker is called as: app func base64-param). */
    String recordRun() {
        return "echo \"$3\" >> '" + dir + "'/\"$ELVES_AGENT_IP\"\n";
    }

    /** How often each param ran, over every agent. */
    Map<String, Integer> timesByParam() throws Exception {
        Map<String, Integer> times = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    times.merge(new String(Base64.getDecoder().decode(line.trim()), StandardCharsets.UTF_8), 1, Integer::sum);
                }
            }
        }
        return times;
    }

    int count() throws Exception {
        return timesByParam().values().stream().mapToInt(Integer::intValue).sum();
    }

    void awaitCount(int count, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + count() + " runs within " + limit + ", waited for " + count);
            }
            Thread.sleep(20);
        }
    }
}

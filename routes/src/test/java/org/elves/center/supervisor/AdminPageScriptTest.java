package org.elves.center.supervisor;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin page's script tests (src/test/js, Node's own test runner, no npm packages): its
 * HMAC-SHA256 request signing against node:crypto. Skipped only when there is no {@code node}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminPageScriptTest {

    @Test
    void nodeTestsOfTheAdminScriptPass() throws Exception {
        Optional<Path> node = onPath("node");
        Assumptions.assumeTrue(node.isPresent(), "node is not installed (not on PATH): the admin page's script "
                + "tests in src/test/js are skipped; install Node.js 20+ to run them");
        Path tests = Path.of("src", "test", "js").toAbsolutePath();
        assertTrue(Files.isDirectory(tests), tests + " missing");
        Path output = Files.createTempFile("admin-js-tests", ".log");
        try {
            Process process = new ProcessBuilder(List.of(node.get().toString(), "--test", tests + File.separator))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean ended = process.waitFor(90, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            System.out.println(log);
            assertTrue(ended, "node --test did not end within 90 s:\n" + log);
            assertEquals(0, process.exitValue(), "node --test " + tests + " failed:\n" + log);
            assertTrue(log.contains("# fail 0") && log.contains("admin-sign example: sign = "), log);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

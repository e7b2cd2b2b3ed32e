package org.elves.apps;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The committed sdk/python/processor/elves_thrift/ must be what thrift-compiler makes of the IDL (when installed). */
class ProcessorSdkCodeMatchesIdlTest {

    @Test
    void committedPythonCodeIsCurrent() throws Exception {
        Assumptions.assumeTrue(onPath("thrift"), "thrift-compiler is not installed; CI installs it");
        Path sdk = Path.of("sdk/python/processor").toAbsolutePath();
        Path out = Files.createTempDirectory("thrift-py-regen");
        Process p = new ProcessBuilder(sdk.resolve("regenerate.sh").toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        Path committed = sdk.resolve("elves_thrift");
        Path fresh = out.resolve("elves_thrift");
        assertEquals(list(fresh), list(committed), "generated file set differs; run apps/sdk/python/processor/regenerate.sh");
        for (String name : list(fresh)) {
            assertEquals(Files.readString(fresh.resolve(name)), Files.readString(committed.resolve(name)),
                    name + " differs from the IDL; run apps/sdk/python/processor/regenerate.sh");
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("__pycache__")).sorted().toList();
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}

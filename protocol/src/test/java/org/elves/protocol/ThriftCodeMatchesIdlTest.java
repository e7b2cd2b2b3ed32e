package org.elves.protocol;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The committed generated code must be what thrift-compiler makes of the IDL (when it is installed). */
class ThriftCodeMatchesIdlTest {

    @Test
    void committedCodeIsCurrent() throws Exception {
        Assumptions.assumeTrue(onPath("thrift"), "thrift-compiler is not installed; .ci/run installs it");
        Path module = Path.of("").toAbsolutePath();
        Path out = Files.createTempDirectory("thrift-regen");
        Process p = new ProcessBuilder(module.resolve("regenerate.sh").toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        Path committed = module.resolve("src/generated/java/org/elves/protocol/thrift");
        Path fresh = out.resolve("org/elves/protocol/thrift");
        assertEquals(list(committed), list(fresh), "generated file set differs; run protocol/regenerate.sh");
        for (String name : list(fresh)) {
            assertEquals(Files.readString(fresh.resolve(name)), Files.readString(committed.resolve(name)),
                    name + " differs from the IDL; run protocol/regenerate.sh");
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = new ArrayList<>(files.map(f -> f.getFileName().toString()).sorted().toList());
            return names;
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

package org.elves.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElvesCliTest {
    @TempDir
    Path home;

    private CliEnvironment env() {
        return new CliEnvironment(Map.of(), home, false);
    }

    @Test
    void everySubcommandIsRegistered() {
        assertEquals(java.util.Set.of("standalone", "exec", "queue", "cron", "logs", "app", "key", "center", "agent"), ElvesCli.commandLine(env()).getSubcommands().keySet());
    }

    @Test
    void withoutACommandTheUsageGoesToStderrAsAUsageError() {
        CliRun run = CliRun.run(env());
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("Usage: elves"), run::toString);
        assertTrue(run.err().contains("exec"), run::toString);
    }

    @Test
    void helpAndVersionSucceed() {
        CliRun help = CliRun.run(env(), "exec", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--ip=IPS") && help.out().contains("Exit codes:"), help::toString);
        assertTrue(help.out().contains("${ELVES_API_PORT:-9091}"), "shown as written, not expanded by picocli");
        CliRun version = CliRun.run(env(), "--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("elves "), version::toString);
    }

    @Test
    void unknownOptionIsOneLineAndAHint() {
        CliRun run = CliRun.run(env(), "exec", "--ip", "10.0.0.1", "--app", "a", "--func", "f", "--bogus");
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("elves exec: Unknown option: '--bogus'"), run::toString);
        assertTrue(run.err().contains("Try 'elves exec --help' for more information."), run::toString);
    }
}

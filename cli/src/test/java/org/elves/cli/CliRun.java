package org.elves.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** One in-process run of the CLI with captured stdout and stderr. */
public record CliRun(int exit, String out, String err, long millis) {

    /** Runs {@code elves args...} in the given environment; never lets the test key leak. */
    public static CliRun run(CliEnvironment env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ElvesCli.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int exit = cli.execute(args);
        CliRun run = new CliRun(exit, out.toString(), err.toString(), (System.nanoTime() - start) / 1_000_000);
        assertFalse(run.out.contains(FakeOpenApi.KEY) || run.err.contains(FakeOpenApi.KEY),
                "the auth key must never be printed:\n" + run);
        return run;
    }

    /** Credentials and API from the environment, a home without a credentials file, no terminal. */
    public static CliEnvironment env(String api, Path home) {
        return new CliEnvironment(Map.of(
                "ELVES_API", api,
                "ELVES_AUTH_ID", FakeOpenApi.AUTH_ID,
                "ELVES_AUTH_KEY", FakeOpenApi.KEY), home, false);
    }

    @Override
    public String toString() {
        return "exit " + exit + " after " + millis + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}

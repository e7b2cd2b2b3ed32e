package org.elves.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI reads from the process around it: environment variables, the user's home and
 * whether a person is watching. Commands take it from here instead of {@link System} so tests
 * can give each run its own world without touching the real one.
 */
public final class CliEnvironment {
    private final Map<String, String> variables;
    private final Path userHome;
    private final boolean interactive;

    public CliEnvironment(Map<String, String> variables, Path userHome, boolean interactive) {
        this.variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
        this.userHome = Objects.requireNonNull(userHome, "userHome");
        this.interactive = interactive;
    }

    /** The real process environment. */
    public static CliEnvironment system() {
        // System.console() is null as soon as stdin or stdout is redirected: then nobody watches
        // a progress bar and its control characters would only spoil piped output.
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")),
                System.console() != null);
    }

    /** An environment variable, or null when it is unset or blank. */
    public String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Elves' own directory: {@code $ELVES_HOME}, else {@code ~/.elves}. */
    public Path elvesHome() {
        String home = variable("ELVES_HOME");
        return home != null ? Path.of(home) : userHome.resolve(".elves");
    }

    /** Whether a person is at a terminal, so progress display makes sense. */
    public boolean interactive() {
        return interactive;
    }

    /** Columns of the terminal as the shell exports them, else the given default. */
    public int columns(int defaultColumns) {
        String columns = variable("COLUMNS");
        if (columns != null) {
            try {
                int n = Integer.parseInt(columns);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // a malformed COLUMNS is not worth failing a command for
            }
        }
        return defaultColumns;
    }
}

package org.elves.cli;

/**
 * A failure a command explains to its user in one line and ends with a given exit code,
 * without a stack trace: missing credentials, an unreadable file, and the like.
 */
public class CliFailure extends RuntimeException {
    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

package org.elves.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A command that only groups actions ({@code elves queue}, {@code cron}, {@code app}, {@code key}):
 * it holds the environment its actions reach through their parent, and alone shows its actions.
 */
public abstract class GroupCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Spec
    protected CommandSpec spec;

    protected GroupCommand(CliEnvironment env) {
        this.env = env;
    }

    public CliEnvironment env() {
        return env;
    }

    /** The group alone: show the actions instead of doing nothing. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }
}

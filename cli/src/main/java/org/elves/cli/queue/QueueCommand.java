package org.elves.cli.queue;

import org.elves.cli.CliEnvironment;
import org.elves.cli.GroupCommand;
import picocli.CommandLine.Command;


/**
 * {@code elves queue}: the queue API (reference §3.4.5) from the command line. Each action is
 * one small sub-command; they reach the environment through {@link #env()} as their parent.
 */
@Command(name = "queue",
        mixinStandardHelpOptions = true,
        description = {
                "Batches of tasks on agents, run after submit; a task may wait for another (--depends).",
                "Typical use: id=$(elves queue create --app APP); elves queue add $id --ip IP --func F; ...;",
                "elves queue submit $id; elves queue result $id --wait"},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
                QueueCreate.class,
                QueueAdd.class,
                QueueSubmit.class,
                QueueStop.class,
                QueueResult.class,
                QueueRun.class})
public final class QueueCommand extends GroupCommand {
    public QueueCommand(CliEnvironment env) {
        super(env);
    }
}

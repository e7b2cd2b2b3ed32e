package org.elves.cli.cron;

import org.elves.cli.CliEnvironment;
import org.elves.cli.GroupCommand;
import picocli.CommandLine.Command;


/**
 * {@code elves cron}: the cron API (reference §3.4.6, docs/api.md) from the command line. Each
 * action is one small sub-command; they reach the environment through {@link #env()} as their
 * parent.
 */
@Command(name = "cron",
        mixinStandardHelpOptions = true,
        description = {
                "Tasks run on a schedule (a Quartz rule such as '0/5 * * * * ?', in a time zone), fired by the "
                        + "center or by the agent (--side).",
                "Typical use: id=$(elves cron add --ip IP --app APP --func F --rule '0 0 3 * * ?'); "
                        + "elves cron info $id; elves cron list --ip IP; elves cron stop|start|delete $id"},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
                CronAdd.class,
                CronStart.class,
                CronStop.class,
                CronDelete.class,
                CronInfo.class,
                CronList.class})
public final class CronCommand extends GroupCommand {
    public CronCommand(CliEnvironment env) {
        super(env);
    }
}

package org.elves.cli.app;

import org.elves.cli.CliEnvironment;
import org.elves.cli.GroupCommand;
import picocli.CommandLine.Command;


/**
 * {@code elves app}: the Supervisor's admin API for apps (create, upload a version, choose the
 * online version and the agents, list, per-agent status). Admin keys only.
 */
@Command(name = "app",
        mixinStandardHelpOptions = true,
        description = {
                "Apps the center distributes to agents: create one, upload versions as zip files, choose the "
                        + "version agents run and which agents get it (admin key needed).",
                "Typical use: elves app create --app myapp --name 'My app'; elves app upload --app myapp "
                        + "--version 1.0.0 myapp-1.0.0.zip; elves app deploy --app myapp --version 1.0.0 --agents '*'; "
                        + "elves app status --app myapp"},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
                AppCreate.class,
                AppUpload.class,
                AppDeploy.class,
                AppList.class,
                AppStatus.class})
public final class AppCommand extends GroupCommand {
    public AppCommand(CliEnvironment env) {
        super(env);
    }
}

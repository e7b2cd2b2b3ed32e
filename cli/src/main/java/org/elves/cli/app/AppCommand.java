package org.elves.cli.app;

import org.elves.cli.CliEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

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
public final class AppCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    public AppCommand(CliEnvironment env) {
        this.env = env;
    }

    CliEnvironment env() {
        return env;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }
}

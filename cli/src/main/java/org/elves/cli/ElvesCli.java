package org.elves.cli;

import org.elves.cli.exec.ExecCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code elves} command. Every sub-command is registered in {@link #subcommands}, the one
 * place to extend when a module brings a new command ({@code standalone}, {@code center},
 * {@code agent}, ...).
 *
 * <p>Exit codes shared by all sub-commands: 0 success, 2 usage or configuration error (picocli's
 * own convention), 4 unexpected internal error. Sub-commands add their own (see {@code exec}).
 */
@Command(name = "elves",
        mixinStandardHelpOptions = true,
        versionProvider = ElvesCli.Version.class,
        description = "Elves on Camel: carry calls of operations apps to agents on many machines.",
        synopsisSubcommandLabel = "COMMAND")
public final class ElvesCli implements Callable<Integer> {
    /** A bug, not a user error: distinct from every code a command gives on purpose. */
    public static final int EXIT_INTERNAL = 4;

    @Spec
    CommandSpec spec;

    /** The sub-commands of {@code elves}, in the order {@code elves --help} lists them. */
    static List<Object> subcommands(CliEnvironment env) {
        return List.of(
                new org.elves.standalone.StandaloneCommand(),
                new ExecCommand(env),
                new org.elves.cli.queue.QueueCommand(env),
                new org.elves.cli.cron.CronCommand(env),
                new org.elves.cli.logs.LogsCommand(env),
                new org.elves.cli.app.AppCommand(env),
                new org.elves.cli.key.KeyCommand(env),
                new org.elves.center.CenterCommand(),
                new org.elves.agent.AgentCommand());
    }

    /** The configured command line, ready to execute; tests set its out/err writers. */
    public static CommandLine commandLine(CliEnvironment env) {
        CommandLine cli = new CommandLine(new ElvesCli());
        for (Object sub : subcommands(env)) {
            cli.addSubcommand(sub);
        }
        // `--ip @hosts.txt` names a host list that exec reads itself (with # comments);
        // picocli's own @file expansion would splice the file in as command-line words.
        cli.setExpandAtFiles(false);
        cli.setParameterExceptionHandler(ElvesCli::usageError);
        cli.setExecutionExceptionHandler(ElvesCli::executionError);
        return cli;
    }

    public static int run(CliEnvironment env, String... args) {
        return commandLine(env).execute(args);
    }

    public static void main(String[] args) {
        org.elves.protocol.JvmDefaults.apply();
        System.exit(run(CliEnvironment.system(), args));
    }

    @Override
    public Integer call() {
        // `elves` alone is a usage error: show what there is to run instead of doing nothing
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }

    /** One line saying what is wrong and where help is, instead of the whole usage text. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage()));
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int executionError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        if (e instanceof CliFailure failure) {
            err.println(name + ": " + failure.getMessage());
            err.flush();
            return failure.exitCode();
        }
        err.println(name + ": internal error: " + e);
        e.printStackTrace(err);
        err.flush();
        return EXIT_INTERNAL;
    }

    /** The version written into the jar's manifest by the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ElvesCli.class.getPackage().getImplementationVersion();
            return new String[] {"elves " + (version == null ? "(development build)" : version)};
        }
    }
}

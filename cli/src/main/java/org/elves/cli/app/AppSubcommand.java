package org.elves.cli.app;

import org.elves.cli.CliEnvironment;
import org.elves.cli.api.ApiSubcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.regex.Pattern;

/**
 * What every {@code elves app} action shares: the API options, {@code --json}, checking the
 * arguments before any request, signed calls and the exit codes of {@link ApiSubcommand}.
 */
@Command(sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "2:usage or configuration error, or the API refused the call (e.g. not an admin key)",
                "3:no answer from the API",
                "4:internal error"})
abstract class AppSubcommand extends ApiSubcommand {
    static final Pattern VERSION = Pattern.compile("[A-Za-z0-9.-]+");

    @ParentCommand
    AppCommand parent;

    /** Help only: the standard -V/--version would take --version, which here names an app's version. */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    protected CliEnvironment env() {
        return parent.env();
    }



    static String checkVersion(String version) {
        String v = version == null ? "" : version.trim();
        if (!VERSION.matcher(v).matches()) {
            throw new IllegalArgumentException("--version '" + version + "' is not a version: letters, digits, "
                    + "'.' and '-' only");
        }
        return v;
    }

}

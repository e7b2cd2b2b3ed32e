package org.elves.cli.app;

import org.elves.cli.CliEnvironment;
import org.elves.cli.api.ApiSubcommand;
import org.elves.cli.exec.HostList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
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
    /** App names as the Supervisor takes them: lower-case letters, digits and '-', no '_'. */
    static final Pattern APP = Pattern.compile("[a-z0-9-]+");
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

    int columns() {
        return parent.env().columns(120);
    }

    static String checkApp(String app) {
        String a = app == null ? "" : app.trim();
        if (!APP.matcher(a).matches()) {
            throw new IllegalArgumentException("--app '" + app + "' is not an app name: lower-case letters, digits "
                    + "and '-' only (no '_')");
        }
        return a;
    }

    static String checkVersion(String version) {
        String v = version == null ? "" : version.trim();
        if (!VERSION.matcher(v).matches()) {
            throw new IllegalArgumentException("--version '" + version + "' is not a version: letters, digits, "
                    + "'.' and '-' only");
        }
        return v;
    }

    /** A comma list of agent addresses, or "*" for every agent; normalised to "a,b" or "*". */
    static String agents(String option, String spec) {
        String s = spec == null ? "" : spec.trim();
        if (s.equals("*")) {
            return s;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException(option + " needs agent addresses (a,b,...) or '*' for every agent");
        }
        if (s.contains("*")) {
            throw new IllegalArgumentException(option + " is either '*' alone or a list of addresses");
        }
        try {
            return String.join(",", HostList.parse(List.of(s)));
        } catch (IllegalArgumentException e) {
            // HostList speaks of --ip; say which option it was
            throw new IllegalArgumentException(e.getMessage().replace("--ip", option), e);
        }
    }
}

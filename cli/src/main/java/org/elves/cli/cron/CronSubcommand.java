package org.elves.cli.cron;

import org.elves.cli.CliEnvironment;
import org.elves.cli.api.ApiSubcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * What every {@code elves cron} action shares, as the queue actions do: the API options,
 * {@code --json}, checking the arguments before any request, one signed call, and the exit
 * codes: 0 ok, 2 usage error or the API refused ({@code [code]Value} on stderr), 3 no answer,
 * 4 internal error.
 */
@Command(mixinStandardHelpOptions = true,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "2:usage or configuration error (e.g. a rule that is not Quartz syntax), or the API refused the call",
                "3:no answer from the API",
                "4:internal error"})
abstract class CronSubcommand extends ApiSubcommand {
    @ParentCommand
    CronCommand parent;

    @Override
    protected CliEnvironment env() {
        return parent.env();
    }


    /** Cron ids are 16 characters (the API answers 403.9 otherwise); catch the typo here. */
    static void checkId(String id) {
        if (id == null || id.length() != 16) {
            throw new IllegalArgumentException("CRON_ID '" + id + "' is not a cron id (16 characters, "
                    + "as printed by 'elves cron add' and 'elves cron list')");
        }
    }
}

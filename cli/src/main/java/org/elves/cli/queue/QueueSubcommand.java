package org.elves.cli.queue;

import org.elves.cli.CliEnvironment;
import org.elves.cli.api.ApiSubcommand;
import org.elves.protocol.TaskIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * What every {@code elves queue} action shares: the API options, {@code --json}, checking the
 * arguments before any request, one signed call per step, and the exit codes: 0 ok, 1 (result
 * only) not every task succeeded, 2 usage error or the API refused ({@code [code]Value} on
 * stderr), 3 no answer (or {@code result --wait} ran out of time), 4 internal error.
 */
@Command(mixinStandardHelpOptions = true,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:(result) not every task finished with worker_flag 1",
                "2:usage or configuration error, or the API refused the call",
                "3:no answer from the API; (result --wait) tasks still running when the time was up",
                "4:internal error"})
abstract class QueueSubcommand extends ApiSubcommand {
    @ParentCommand
    QueueCommand parent;

    @Override
    protected CliEnvironment env() {
        return parent.env();
    }

    /** Queue and task ids are 16 hex characters; anything else is a typo worth catching here. */
    static void checkId(String what, String id) {
        if (!TaskIds.isValid(id)) {
            throw new IllegalArgumentException(what + " '" + id + "' is not a queue/task id (16 hex characters, "
                    + "as printed by 'elves queue create' and 'elves queue add')");
        }
    }
}

package org.elves.cli.cron;

import picocli.CommandLine.Command;

/** {@code elves cron delete CRON_ID}. */
@Command(name = "delete", description = "Delete a cron and its results.")
public final class CronDelete extends CronAction {
    @Override
    String path() {
        return "/api/v2/cron/delete";
    }

    @Override
    String done() {
        return "deleted";
    }
}

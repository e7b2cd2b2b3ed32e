package org.elves.cli.cron;

import picocli.CommandLine.Command;

/** {@code elves cron start CRON_ID}. */
@Command(name = "start", description = "Start (resume) a stopped cron; starting a running one is no error.")
public final class CronStart extends CronAction {
    @Override
    String path() {
        return "/api/v2/cron/start";
    }

    @Override
    String done() {
        return "started";
    }
}

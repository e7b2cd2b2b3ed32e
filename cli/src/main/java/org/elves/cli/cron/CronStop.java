package org.elves.cli.cron;

import picocli.CommandLine.Command;

/** {@code elves cron stop CRON_ID}. */
@Command(name = "stop", description = "Stop (pause) a cron: it fires no more until started; its definition and results stay.")
public final class CronStop extends CronAction {
    @Override
    String path() {
        return "/api/v2/cron/stop";
    }

    @Override
    String done() {
        return "stopped";
    }
}

package org.elves.cli.cron;

import org.elves.cli.api.ElvesApiClient;
import org.elves.protocol.Json;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** start, stop and delete: one cron id, an answer without result; prints what was done. */
abstract class CronAction extends CronSubcommand {
    @Parameters(index = "0", paramLabel = "CRON_ID", description = "Cron id from 'elves cron add' or 'elves cron list'.")
    String cronId;

    /** The endpoint, e.g. /api/v2/cron/start. */
    abstract String path();

    /** What the text output says once done: "started", "stopped", "deleted". */
    abstract String done();

    @Override
    protected void check() {
        checkId(cronId);
    }

    @Override
    protected int run(ElvesApiClient client) {
        call(client, path(), Map.of("cron_id", cronId));
        if (json) {
            printJson(Json.MAPPER.createObjectNode().put("id", cronId).put(done(), true));
        } else {
            out().println(done());
            out().flush();
        }
        return EXIT_OK;
    }
}

package org.elves.cli.cron;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code elves cron info CRON_ID}: one cron as a readable block. */
@Command(name = "info", description = {
        "Show one cron: its task, rule, time zone, side, state (running/paused), next and last fire, "
                + "the last result and the recent runs the center keeps."})
public final class CronInfo extends CronSubcommand {
    static final String PATH = "/api/v2/cron/detail";

    @Parameters(index = "0", paramLabel = "CRON_ID", description = "Cron id from 'elves cron add' or 'elves cron list'.")
    String cronId;

    @Override
    protected void check() {
        checkId(cronId);
    }

    @Override
    protected int run(ElvesApiClient client) {
        JsonNode result = call(client, PATH, Map.of("cron_id", cronId));
        if (json) {
            printJson(result);
        } else {
            CronText.detail(cronId, result, columns()).forEach(out()::println);
            out().flush();
        }
        return EXIT_OK;
    }
}

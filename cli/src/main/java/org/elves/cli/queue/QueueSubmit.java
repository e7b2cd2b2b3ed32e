package org.elves.cli.queue;

import org.elves.cli.api.ElvesApiClient;
import org.elves.protocol.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code elves queue submit QUEUE_ID}: commit; the tasks start. */
@Command(name = "submit", description = "Submit (commit) a queue: its tasks start; no more can be added.")
public final class QueueSubmit extends QueueSubcommand {
    static final String PATH = "/api/v2/queue/commit";

    @Parameters(index = "0", paramLabel = "QUEUE_ID", description = "Queue id from 'elves queue create'.")
    String queueId;

    @Override
    protected void check() {
        checkId("QUEUE_ID", queueId);
    }

    @Override
    protected int run(ElvesApiClient client) {
        call(client, PATH, Map.of("queue_id", queueId));
        if (json) {
            printJson(Json.MAPPER.createObjectNode().put("id", queueId).put("submitted", true));
        } else {
            out().println("submitted");
            out().flush();
        }
        return EXIT_OK;
    }
}

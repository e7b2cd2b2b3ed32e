package org.elves.cli.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elves.cli.api.ElvesApiClient;
import org.elves.protocol.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Iterator;
import java.util.Map;

/** {@code elves queue stop QUEUE_ID}: tasks not sent yet are stopped; prints every task's status. */
@Command(name = "stop", description = {
        "Stop a queue: tasks not sent yet become stopped; tasks already running cannot be recalled.",
        "Prints every task's status after the stop."})
public final class QueueStop extends QueueSubcommand {
    static final String PATH = "/api/v2/queue/stop";

    @Parameters(index = "0", paramLabel = "QUEUE_ID", description = "Queue id from 'elves queue create'.")
    String queueId;

    @Override
    protected void check() {
        checkId("QUEUE_ID", queueId);
    }

    @Override
    protected int run(ElvesApiClient client) {
        JsonNode result = call(client, PATH, Map.of("queue_id", queueId));
        // {task id: status}; an older center answers no map at all
        ObjectNode states = Json.MAPPER.createObjectNode();
        if (result.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = result.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                states.put(e.getKey(), e.getValue().asText());
            }
        }
        if (json) {
            printJson(states);
            return EXIT_OK;
        }
        if (states.isEmpty()) {
            out().println("stopped");
        } else {
            out().println(String.format("%-16s  %s", "TASK", "STATUS"));
            states.fields().forEachRemaining(e -> out().println(String.format("%-16s  %s", e.getKey(), e.getValue().asText())));
        }
        out().flush();
        return EXIT_OK;
    }
}

package org.elves.cli.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code elves queue create --app APP}: a new empty queue; prints its id. */
@Command(name = "create", description = "Create an empty queue for one app; prints the queue id.")
public final class QueueCreate extends QueueSubcommand {
    static final String PATH = "/api/v2/queue/create";

    @Option(names = "--app", required = true, paramLabel = "APP", description = "App every task of the queue runs.")
    String app;

    @Override
    protected void check() {
        if (app.isBlank()) {
            throw new IllegalArgumentException("--app must not be blank");
        }
    }

    @Override
    protected int run(ElvesApiClient client) {
        JsonNode result = call(client, PATH, Map.of("app", app));
        IdOutput.print(this, result, "id");
        return EXIT_OK;
    }
}

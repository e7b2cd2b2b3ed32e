package org.elves.cli.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code elves queue run --app APP --ip IP --func F ...}: a one-task queue, created and submitted at once. */
@Command(name = "run", description = {
        "Create, fill and submit a one-task queue in one step; prints the queue id and the task id.",
        "See the outcome with 'elves queue result QUEUE_ID'."})
public final class QueueRun extends QueueSubcommand {
    static final String PATH = "/api/v2/queue/qksqueue";

    @Option(names = "--app", required = true, paramLabel = "APP", description = "App instruct name.")
    String app;

    @Mixin
    TaskOptions task = new TaskOptions();

    @Override
    protected void check() {
        if (app.isBlank()) {
            throw new IllegalArgumentException("--app must not be blank");
        }
        task.check();
    }

    @Override
    protected int run(ElvesApiClient client) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app", app);
        task.putInto(params);
        JsonNode result = call(client, PATH, params);
        IdOutput.print(this, result, "id", "task_id");
        return EXIT_OK;
    }
}

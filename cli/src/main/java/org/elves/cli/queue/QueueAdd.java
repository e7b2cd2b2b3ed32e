package org.elves.cli.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code elves queue add QUEUE_ID --ip IP --func F ...}: one task; prints its id. */
@Command(name = "add", description = {
        "Add a task to a queue that is not submitted yet; prints the task id.",
        "With --depends the task runs only after that task (of the same queue) succeeded; "
                + "if it did not, this one is skipped."})
public final class QueueAdd extends QueueSubcommand {
    static final String PATH = "/api/v2/queue/addtask";

    @Parameters(index = "0", paramLabel = "QUEUE_ID", description = "Queue id from 'elves queue create'.")
    String queueId;

    @Mixin
    TaskOptions task = new TaskOptions();

    @Option(names = "--depends", paramLabel = "TASK_ID", description = "Task of this queue to wait for.")
    String depends;

    @Override
    protected void check() {
        checkId("QUEUE_ID", queueId);
        task.check();
        if (depends != null) {
            checkId("--depends", depends);
        }
    }

    @Override
    protected int run(ElvesApiClient client) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("queue_id", queueId);
        task.putInto(params);
        if (depends != null) {
            params.put("depend_task_id", depends);
        }
        JsonNode result = call(client, PATH, params);
        IdOutput.print(this, result, "id");
        return EXIT_OK;
    }
}

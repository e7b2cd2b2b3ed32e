package org.elves.cli.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elves.protocol.Json;

/** Output of the actions that answer ids: the ids alone as text, or {"field":"id",...} as JSON. */
final class IdOutput {
    private IdOutput() {
    }

    /** Text: the ids on one line, space-separated, so {@code id=$(elves queue ...)} works. */
    static void print(QueueSubcommand command, JsonNode result, String... fields) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            JsonNode value = result.path(field);
            if (!value.isValueNode() || value.isNull() || value.asText().isEmpty()) {
                throw new QueueSubcommand.ApiFailure(QueueSubcommand.EXIT_API_ERROR,
                        "the API accepted the call but its answer has no " + field + ": " + result);
            }
            doc.put(field, value.asText());
            text.append(text.length() == 0 ? "" : " ").append(value.asText());
        }
        if (command.jsonOutput()) {
            command.printJson(doc);
        } else {
            command.out().println(text);
            command.out().flush();
        }
    }
}

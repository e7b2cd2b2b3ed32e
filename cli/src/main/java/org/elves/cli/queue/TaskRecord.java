package org.elves.cli.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elves.protocol.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One task of {@code /queue/result}. Values are read as text whatever their JSON type (the
 * original center sends worker_flag and worker_costtime as numbers), absent ones as "".
 * {@code skipped}: the task ended {@code stopped} because a task it depends on did not succeed
 * (our center's {@code "skipped":"true"}; older ones of ours answered the status {@code skipped}).
 */
record TaskRecord(String id, String ip, String status, String dependTaskId, String flag, String error,
                  String workerFlag, String workerMessage, String workerCostTime, boolean skipped) {
    /** The reference's fields, always present in {@code --json} output, in this order. */
    static final List<String> FIELDS = List.of("id", "status", "depend_task_id", "flag", "error",
            "worker_flag", "worker_message", "worker_costtime");

    enum Outcome { OK, FAILED, SKIPPED, STOPPED, WAITING }

    static List<TaskRecord> listOf(JsonNode result) {
        List<TaskRecord> tasks = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = result.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = e.getValue();
            String id = text(r, "id");
            tasks.add(new TaskRecord(id.isEmpty() ? e.getKey() : id, text(r, "ip"), text(r, "status"),
                    text(r, "depend_task_id"), text(r, "flag"), text(r, "error"), text(r, "worker_flag"),
                    text(r, "worker_message"), text(r, "worker_costtime"), "true".equals(text(r, "skipped"))));
        }
        return tasks;
    }

    /**
     * The result map with every reference field of every task present as text (keys the API
     * adds beyond those are kept after them), so scripts need no existence or type checks.
     */
    static ObjectNode stableJson(JsonNode result) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = result.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ObjectNode task = doc.putObject(e.getKey());
            for (String field : FIELDS) {
                task.put(field, text(e.getValue(), field));
            }
            if (task.path("id").asText().isEmpty()) {
                task.put("id", e.getKey());
            }
            e.getValue().fields().forEachRemaining(extra -> {
                if (!task.has(extra.getKey())) {
                    task.set(extra.getKey(), extra.getValue());
                }
            });
        }
        return doc;
    }

    /**
     * Terminal: finish, stopped (and the book's "stoped"), of which those marked skipped are
     * skipped. Succeeded: finish with flag not "false" and worker_flag 1, as for a dependency (docs/api.md).
     */
    Outcome outcome() {
        return switch (status) {
            case "finish" -> "1".equals(workerFlag) && !"false".equalsIgnoreCase(flag) ? Outcome.OK : Outcome.FAILED;
            case "skipped" -> Outcome.SKIPPED;
            case "stopped", "stoped" -> skipped ? Outcome.SKIPPED : Outcome.STOPPED;
            default -> Outcome.WAITING; // pendding, running (the book's execing), anything newer
        };
    }

    /** The status the table shows: "skipped" for a task stopped because of its parent, else as answered. */
    String shownStatus() {
        return outcome() == Outcome.SKIPPED ? "skipped" : status;
    }

    boolean terminal() {
        return outcome() != Outcome.WAITING;
    }

    /** What the table shows: the worker's message, or Elves' error when there is no message or the delivery failed. */
    String message() {
        return workerMessage.isBlank() || "false".equalsIgnoreCase(flag) && !error.isBlank() ? error : workerMessage;
    }

    private static String text(JsonNode record, String field) {
        JsonNode node = record.path(field);
        return node.isMissingNode() || node.isNull() ? "" : node.asText();
    }
}

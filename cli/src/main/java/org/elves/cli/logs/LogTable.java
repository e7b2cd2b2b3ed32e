package org.elves.cli.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.elves.cli.TextLines;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text of {@code elves logs}: one line per task (TIME it was accepted, TASK id, TYPE, AGENT,
 * APP.FUNC, STATE, COST of the worker, BY the key that asked), cut to the terminal, then
 * {@code page X of Y, N tasks}. {@code --json} has every field.
 */
final class LogTable {
    private LogTable() {
    }

    /** @param listField where the answer holds its list, e.g. {@code rt_exec_logs} */
    static List<String> lines(JsonNode result, String listField, int columns) {
        TextTable table = new TextTable(List.of("TIME", "TASK", "TYPE", "AGENT", "APP.FUNC", "STATE", "COST", "BY"),
                Set.of(6));
        for (JsonNode log : list(result, listField)) {
            String cost = TextLines.field(log, "worker_costtime");
            table.add(List.of(TextLines.field(log, "starttime"), TextLines.field(log, "log_id"),
                    TextLines.field(log, "type"), TextLines.field(log, "agent_ip"),
                    TextLines.field(log, "instruct") + "." + TextLines.field(log, "func"),
                    TextLines.field(log, "state"), cost.isEmpty() ? "" : cost + "ms", TextLines.field(log, "auth_id")));
        }
        List<String> lines = new ArrayList<>(table.isEmpty() ? List.of("no tasks") : table.lines(columns));
        String total = TextLines.field(result, "total_number");
        lines.add("page " + TextLines.orDash(TextLines.field(result, "now_page")) + " of "
                + TextLines.orDash(TextLines.field(result, "all_page")) + ", "
                + TextLines.orDash(total) + ("1".equals(total) ? " task" : " tasks"));
        return lines;
    }

    /** The answer's list: under its documented name, else the first list it has. */
    private static JsonNode list(JsonNode result, String listField) {
        JsonNode list = result.path(listField);
        if (list.isArray()) {
            return list;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = result.fields(); it.hasNext(); ) {
            JsonNode value = it.next().getValue();
            if (value.isArray()) {
                return value;
            }
        }
        return result.isArray() ? result : MissingNode.getInstance();
    }
}

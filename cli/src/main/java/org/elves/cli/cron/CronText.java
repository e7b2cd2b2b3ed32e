package org.elves.cli.cron;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.TextLines;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code cron info} and {@code cron list}. Values are read as text whatever their
 * JSON type (the original sends cron_flag and timeout as numbers), absent ones as "-"; the
 * last result may be the reference's nested {@code last_exec_result:{flag, error,
 * result:{worker_*}}} or flat. {@code --json} has everything in full.
 */
final class CronText {
    private static final String ROW = "%-16s  %-12s  %-12s  %-4s  %-6s  %-16s  %-7s  %-19s  %s";
    private static final String LABEL = "%-12s%s";

    private CronText() {
    }

    /** A readable block for one cron (the result of /cron/detail). */
    static List<String> detail(String cronId, JsonNode d, int columns) {
        List<String> lines = new ArrayList<>();
        String id = text(d, "id");
        add(lines, "cron", id.isEmpty() ? cronId : id, columns);
        add(lines, "task", text(d, "app") + "." + text(d, "func") + " on " + dash(text(d, "ip")), columns);
        add(lines, "param", dash(text(d, "param")), columns);
        add(lines, "mode", dash(text(d, "mode")) + ", timeout " + dash(text(d, "timeout")) + " s"
                + (text(d, "proxy").isEmpty() ? "" : ", proxy " + text(d, "proxy")), columns);
        add(lines, "rule", dash(text(d, "rule")), columns);
        add(lines, "zone", zone(text(d, "timezone")), columns);
        add(lines, "side", dash(text(d, "side")), columns);
        add(lines, "state", state(d), columns);
        add(lines, "next fire", dash(text(d, "next_fire_time")), columns);
        add(lines, "last fire", dash(text(d, "last_exec_time")), columns);
        JsonNode last = d.path("last_exec_result");
        add(lines, "last result", last.isObject() && last.size() > 0 ? outcome(last) : "-", columns);
        if (!text(d, "create_time").isEmpty()) {
            add(lines, "created", text(d, "create_time"), columns);
        }
        JsonNode history = d.path("history");
        if (history.isArray() && !history.isEmpty()) {
            lines.add("history (" + history.size() + (history.size() == 1 ? " recent run)" : " recent runs)"));
            for (JsonNode run : history) {
                String when = first(run, "id", "run_id", "fire_time", "end_time", "exec_time");
                lines.add(TextLines.fit("  " + String.format("%-27s  ", dash(when)) + outcome(run), columns));
            }
        }
        return lines;
    }

    /** The table of /cron/list: a header, one line per cron cut to the terminal, the count. */
    static List<String> table(String ip, JsonNode crons, int columns) {
        List<String> lines = new ArrayList<>();
        if (!crons.isArray() || crons.isEmpty()) {
            lines.add("no crons for " + ip);
            return lines;
        }
        lines.add(TextLines.fit(String.format(ROW, "ID", "APP", "FUNC", "MODE", "SIDE", "RULE", "STATE",
                "NEXT FIRE", "LAST EXEC"), columns));
        for (JsonNode c : crons) {
            lines.add(TextLines.fit(String.format(ROW, dash(text(c, "id")), dash(text(c, "app")), dash(text(c, "func")),
                    dash(text(c, "mode")), dash(text(c, "side")), dash(text(c, "rule")), state(c),
                    dash(text(c, "next_fire_time")), dash(text(c, "last_exec_time"))), columns));
        }
        lines.add(crons.size() + (crons.size() == 1 ? " cron" : " crons") + " for " + ip);
        return lines;
    }

    /** cron_flag 1 running, 0 paused (reference §4.3.2); a newer word as it is; "-" when absent. */
    static String state(JsonNode cron) {
        String flag = text(cron, "cron_flag");
        return switch (flag) {
            case "1", "true" -> "running";
            case "0", "false" -> "paused";
            case "" -> dash(text(cron, "state"));
            default -> flag;
        };
    }

    /**
     * One run's outcome: "ok", "failed (worker_flag 0)" or "not delivered", the cost, and the
     * first line of the worker's message or of Elves' error.
     */
    static String outcome(JsonNode run) {
        String flag = text(run, "flag");
        String error = text(run, "error");
        String workerFlag = worker(run, "worker_flag");
        String message = worker(run, "worker_message");
        String cost = worker(run, "worker_costtime");
        String head;
        if ("false".equalsIgnoreCase(flag)) {
            head = "not delivered";
        } else if ("1".equals(workerFlag)) {
            head = "ok";
        } else if (workerFlag.isEmpty()) {
            head = flag.isEmpty() ? "-" : "flag " + flag;
        } else {
            head = "failed (worker_flag " + workerFlag + ")";
        }
        StringBuilder s = new StringBuilder(head);
        if (!cost.isEmpty()) {
            s.append(", ").append(cost).append(" ms");
        }
        String shown = message.isBlank() || "false".equalsIgnoreCase(flag) && !error.isBlank() ? error : message;
        if (!shown.isBlank()) {
            s.append(": ").append(TextLines.firstLine(shown));
        }
        return s.toString();
    }

    private static String zone(String timezone) {
        return timezone.isEmpty() ? "UTC" : timezone;
    }

    private static void add(List<String> lines, String label, String value, int columns) {
        lines.add(TextLines.fit(String.format(LABEL, label, value), columns));
    }

    /** A worker field of a run: in its {result:{...}} (the reference's shape) or beside flag and error. */
    private static String worker(JsonNode run, String field) {
        String nested = text(run.path("result"), field);
        return nested.isEmpty() ? text(run, field) : nested;
    }

    private static String first(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = text(node, f);
            if (!v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    static String text(JsonNode node, String field) {
        return TextLines.field(node, field);
    }

    private static String dash(String value) {
        return TextLines.orDash(value);
    }
}

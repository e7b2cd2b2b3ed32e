package org.elves.cli.logs;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.TextLines;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text of {@code elves logs TASK_ID}: the record's fields as {@code name: value} lines (only
 * those present, in the order of docs/api.md, then any newer ones), the TIMELINE with each step's
 * share (the app's: {@code agent_started} to {@code agent_finished}; the rest is Elves'), the
 * STATES and the OUTPUT ({@link OutputText}). {@code --json} has the record as it came.
 */
final class TaskLogText {
    /** A log's fields in the order docs/api.md lists them. */
    static final List<String> FIELDS = List.of("log_id", "type", "mode", "queue_id", "cron_id", "agent_ip",
            "instruct", "func", "param", "timeout", "auth_id", "starttime", "agent_sync_flag", "agent_sync_error",
            "agent_sync_costtime", "agent_callback_time", "worker_flag", "worker_message", "worker_costtime",
            "processor_sync_flag", "processor_sync_error", "processor_sync_costtime", "endtime", "result_flag",
            "state");
    /** Shown in sections of their own. */
    private static final Set<String> SECTIONS = Set.of("states", "timeline", "output");
    static final String APP_STARTED = "agent_started";
    static final String APP_FINISHED = "agent_finished";

    private TaskLogText() {
    }

    static List<String> lines(JsonNode log, int columns) {
        List<String> lines = new ArrayList<>(fields(log));
        lines.addAll(timeline(log.path("timeline"), columns));
        lines.addAll(states(log.path("states"), columns));
        lines.add("");
        JsonNode output = log.path("output");
        long total = output.path("total_bytes").asLong(-1);
        lines.add(total < 0 ? "OUTPUT" : "OUTPUT (" + total + (total == 1 ? " byte)" : " bytes)"));
        List<String> text = OutputText.lines(output);
        lines.addAll(text.isEmpty() ? List.of("(none)") : text);
        return lines;
    }

    /** {@code name: value} for each present field; a value of several lines goes on under its first. */
    static List<String> fields(JsonNode log) {
        Set<String> names = new LinkedHashSet<>(FIELDS);
        for (Iterator<Map.Entry<String, JsonNode>> it = log.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!SECTIONS.contains(name)) {
                names.add(name);
            }
        }
        int width = names.stream().mapToInt(String::length).max().orElse(0) + 2;
        String indent = " ".repeat(width);
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            String value = TextLines.field(log, name);
            if (value.isEmpty()) {
                continue;
            }
            String[] valueLines = value.stripTrailing().split("\\R");
            lines.add(String.format("%-" + width + "s%s", name + ":", valueLines[0]));
            for (int i = 1; i < valueLines.length; i++) {
                lines.add(indent + valueLines[i]);
            }
        }
        return lines;
    }

    /**
     * PHASE, TIME, +MS after accepted, and STEP: the time since the phase before and whose it
     * was; then the app's and Elves' shares of accepted to finished.
     */
    static List<String> timeline(JsonNode timeline, int columns) {
        if (!timeline.isArray() || timeline.isEmpty()) {
            return List.of();
        }
        TextTable table = new TextTable(List.of("PHASE", "TIME", "+MS", "STEP"), Set.of(2));
        long start = timeline.get(0).path("at").asLong(0);
        Long previous = null;
        Long appStarted = null;
        Long appFinished = null;
        Long finished = null;
        for (JsonNode step : timeline) {
            String phase = TextLines.field(step, "phase");
            long after = step.has("after_ms") ? step.path("after_ms").asLong() : step.path("at").asLong() - start;
            String share = previous == null ? "" : "+" + (after - previous) + " ms "
                    + (phase.equals(APP_FINISHED) ? "app" : "elves");
            table.add(List.of(phase, TextLines.field(step, "time"), Long.toString(after), share));
            previous = after;
            switch (phase) {
                case APP_STARTED -> appStarted = after;
                case APP_FINISHED -> appFinished = after;
                case "finished" -> finished = after;
                default -> {
                    // the other phases are Elves' steps, shown in the table
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("TIMELINE");
        lines.addAll(table.lines(columns));
        String shares = shares(appStarted, appFinished, finished);
        if (!shares.isEmpty()) {
            lines.add(shares);
        }
        return lines;
    }

    /** {@code app 1000 ms (agent_started -> agent_finished), elves 45 ms of 1045 ms accepted -> finished} */
    static String shares(Long appStarted, Long appFinished, Long finished) {
        boolean app = appStarted != null && appFinished != null;
        if (finished == null) {
            return app ? "app " + (appFinished - appStarted) + " ms (" + APP_STARTED + " -> " + APP_FINISHED + ")" : "";
        }
        long appMs = app ? appFinished - appStarted : 0;
        return (app ? "app " + appMs + " ms (" + APP_STARTED + " -> " + APP_FINISHED + "), " : "")
                + "elves " + (finished - appMs) + " ms of " + finished + " ms accepted -> finished";
    }

    static List<String> states(JsonNode states, int columns) {
        if (!states.isArray() || states.isEmpty()) {
            return List.of();
        }
        TextTable table = new TextTable(List.of("STATE", "TIME"), Set.of());
        for (JsonNode s : states) {
            table.add(List.of(TextLines.field(s, "state"), TextLines.field(s, "time")));
        }
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("STATES");
        lines.addAll(table.lines(columns));
        return lines;
    }
}

package org.elves.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.TextLines;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The tables of {@code app list} and {@code app status}; absent values as "-", lines cut to the terminal. */
final class AppText {
    private static final String APP_ROW = "%-16s  %-16s  %-21s  %-10s  %-16s  %s";
    private static final String STATUS_ROW = "%-15s  %-12s  %-12s  %-11s  %-19s  %s";

    private AppText() {
    }

    static List<String> apps(JsonNode apps, int columns) {
        List<String> lines = new ArrayList<>();
        if (!apps.isArray() || apps.isEmpty()) {
            lines.add("no apps");
            return lines;
        }
        lines.add(TextLines.fit(String.format(APP_ROW, "APP", "NAME", "PROCESSOR", "ONLINE", "VERSIONS", "AGENTS"), columns));
        for (JsonNode a : apps) {
            List<String> versions = new ArrayList<>();
            a.path("versions").forEach(v -> versions.add(text(v, "version")));
            lines.add(TextLines.fit(String.format(APP_ROW, dash(text(a, "app")), dash(text(a, "name")),
                    dash(text(a, "processor")), dash(text(a, "online_version")), dash(String.join(",", versions)),
                    dash(join(a.path("agents")))), columns));
        }
        lines.add(apps.size() + (apps.size() == 1 ? " app" : " apps"));
        return lines;
    }

    static List<String> status(String app, JsonNode agents, int columns) {
        List<String> lines = new ArrayList<>();
        if (!agents.isArray() || agents.isEmpty()) {
            lines.add("no agents for " + app);
            return lines;
        }
        lines.add(TextLines.fit(String.format(STATUS_ROW, "IP", "WANTED", "INSTALLED", "STATE", "LAST HEARTBEAT",
                "ERROR"), columns));
        Map<String, Integer> states = new TreeMap<>();
        for (JsonNode a : agents) {
            String state = text(a, "state");
            states.merge(state.isEmpty() ? "unknown" : state, 1, Integer::sum);
            lines.add(TextLines.fit(String.format(STATUS_ROW, dash(text(a, "ip")), dash(text(a, "wanted")),
                    dash(text(a, "installed")), dash(state), dash(text(a, "last_hb_time")),
                    TextLines.firstLine(text(a, "error"))), columns));
        }
        List<String> counts = new ArrayList<>();
        states.forEach((state, n) -> counts.add(n + " " + state));
        lines.add(agents.size() + (agents.size() == 1 ? " agent" : " agents") + " for " + app + ": "
                + String.join(", ", counts));
        return lines;
    }

    /** The items of an array joined by ","; a value as its text; "" when absent. */
    static String join(JsonNode list) {
        if (list.isArray()) {
            List<String> items = new ArrayList<>();
            list.forEach(i -> items.add(i.asText()));
            return String.join(",", items);
        }
        return list.isValueNode() ? list.asText() : "";
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
    }

    private static String dash(String value) {
        return TextLines.orDash(value);
    }
}

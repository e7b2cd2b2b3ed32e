package org.elves.center.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The processors apps were given in the Supervisor, published for the Scheduler
 * (processorTable): {processors: {app: host:port}}, where mode-P results of the app are delivered.
 */
public record ProcessorTable(Map<String, String> processors) {

    public Map<String, Object> toMap() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("processors", processors);
        return table;
    }

    /** A body without processors is an empty table. */
    public static ProcessorTable fromMap(Map<String, Object> body) {
        Map<String, String> processors = new LinkedHashMap<>();
        if (body.get("processors") instanceof Map<?, ?> m) {
            m.forEach((app, address) -> processors.put(String.valueOf(app), String.valueOf(address)));
        }
        return new ProcessorTable(Map.copyOf(processors));
    }
}

package org.elves.center.scheduler;

import org.elves.center.common.PolledTable;
import org.elves.center.contract.ProcessorTable;
import org.elves.config.ElvesConfig;

import java.util.Map;

/**
 * Where an app's processor listens (modes CAP/AAP, issue 4; the reference's [Design] route G31):
 * the setting {@code elves.processor.<app>} = {@code host:port}, read per lookup, so it can be set
 * live in ZooKeeper, e.g. on the global node {@code /elves} as
 * {@code {"processor": {"apptest": "127.0.0.1:10010"}}}; else the processor the app was given in
 * the Supervisor, whose table is asked for every few seconds (route scheduler-processors).
 */
public class ProcessorRegistry extends PolledTable<Map<String, String>> {
    public static final String PREFIX = "elves.processor.";

    private final ElvesConfig config;

    public ProcessorRegistry(ElvesConfig config) {
        super("Supervisor processors");
        this.config = config;
    }

    @Override
    protected Map<String, String> parse(Map<String, Object> result) {
        return ProcessorTable.fromMap(result).processors();
    }

    /** A processor's address. */
    public record Address(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * The app's processor, or null when none is registered (or the app name is empty).
     *
     * @throws IllegalArgumentException when the setting is not {@code host:port}
     */
    public Address find(String app) {
        if (app == null || app.isBlank()) {
            return null;
        }
        String value = config.optional(PREFIX + app).map(String::strip).orElse("");
        if (value.isEmpty()) {
            Map<String, String> supervised = value();
            value = supervised == null ? "" : supervised.getOrDefault(app, "").strip();
        }
        if (value.isEmpty()) {
            return null;
        }
        return parse(app, value);
    }

    static Address parse(String app, String value) {
        int colon = value.lastIndexOf(':');
        String host = colon > 0 ? value.substring(0, colon).strip() : "";
        String port = colon > 0 ? value.substring(colon + 1).strip() : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException(PREFIX + app + " must be host:port, got '" + value + "'");
        }
        return new Address(host, Integer.parseInt(port));
    }
}

package org.elves.agent.config;

import org.elves.agent.LightJson;
import org.elves.agent.cron.MisfirePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Reads an agent cfg.json. Both the original's nested form ({@code "heartbeat": {"addr": ...}})
 * and flat dotted keys ({@code "heartbeat.addr": ...}) are accepted, because the reference writes
 * the keys dotted while the original files nest them. Keys this agent does not use (http,
 * devmode, appsdownloadaddr, comments) are ignored so original files load unchanged.
 */
public final class ConfigFile {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFile.class);
    private final Map<String, Object> values;
    private final Path source;

    private ConfigFile(Map<String, Object> values, Path source) {
        this.values = values;
        this.source = source;
    }

    /**
     * A builder holding the defaults overridden by the file's values; relative paths in the file
     * are taken relative to the file's directory.
     *
     * @throws IllegalArgumentException when the file is unreadable, not JSON, or a value has the
     *                                  wrong type (the message names file and key)
     */
    public static AgentSettings.Builder load(Path file) {
        Object root;
        try {
            root = LightJson.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read agent config " + file + ": " + e.getMessage(), e);
        }
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException("agent config " + file + " must hold a JSON object");
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", (Map<?, ?>) root, flat);
        return new ConfigFile(flat, file).apply(AgentSettings.builder());
    }

    private static void flatten(String prefix, Map<?, ?> node, Map<String, Object> out) {
        for (Map.Entry<?, ?> field : node.entrySet()) {
            String key = prefix + field.getKey().toString().toLowerCase();
            // "apps" is a map of app names, not a section of settings
            if (field.getValue() instanceof Map && !key.equals("apps")) {
                flatten(key + ".", (Map<?, ?>) field.getValue(), out);
            } else {
                out.put(key, field.getValue());
            }
        }
    }

    private AgentSettings.Builder apply(AgentSettings.Builder b) {
        text("ip", b::ip);
        text("asset", b::asset);
        text("bind", b::bind);
        integer("port", b::port);
        if (values.containsKey("authips")) {
            List<String> authips = textList("authips");
            if (authips.isEmpty()) {
                LOG.warn("{}: \"authips\" is empty; the original agent then admits everyone, this one admits"
                        + " only {} (write [\"*\"] to admit everyone)", source, AgentSettings.LOOPBACK);
            }
            b.authips(authips);
        }
        bool("thrift.framed", b::framed);
        integer("thrift.maxconnections", b::maxConnections);
        integer("thrift.idletimeout", b::idleTimeoutSeconds);
        text("appsdir", dir -> b.appsDir(resolve(dir)));
        text("python", b::python);
        integer("worker.outputmax", b::outputMaxBytes);
        integer("worker.async", b::asyncWorkers);
        integer("worker.queue", b::asyncQueue);
        if (values.containsKey("apps")) {
            b.apps(apps());
        }
        bool("heartbeat.enabled", b::heartbeatEnabled);
        if (values.containsKey("heartbeat.addrs")) {
            b.heartbeats(endpoints("heartbeat.addrs", AgentSettings.DEFAULT_HEARTBEAT_PORT));
        } else if (values.containsKey("heartbeat.addr") || values.containsKey("heartbeat.port")) {
            b.heartbeat(new Endpoint(
                    textOr("heartbeat.addr", AgentSettings.LOOPBACK),
                    intOr("heartbeat.port", AgentSettings.DEFAULT_HEARTBEAT_PORT)));
        }
        integer("heartbeat.interval", b::heartbeatIntervalSeconds);
        integer("heartbeat.timeout", b::heartbeatTimeoutSeconds);
        integer("heartbeat.backoffmax", b::heartbeatBackoffMaxSeconds);
        if (values.containsKey("scheduler.addrs")) {
            b.schedulers(endpoints("scheduler.addrs", AgentSettings.DEFAULT_SCHEDULER_PORT));
        } else if (values.containsKey("scheduler.addr") || values.containsKey("scheduler.port")) {
            b.schedulers(List.of(new Endpoint(
                    textOr("scheduler.addr", AgentSettings.LOOPBACK),
                    intOr("scheduler.port", AgentSettings.DEFAULT_SCHEDULER_PORT))));
        }
        integer("scheduler.timeout", b::schedulerTimeoutSeconds);
        integer("dedupe.size", b::dedupeSize);
        integer("dedupe.ttl", b::dedupeTtlSeconds);
        integer("dedupe.resultchars", b::dedupeResultChars);
        if (values.containsKey("iplist")) {
            b.ipList(textList("iplist"));
        }
        text("statedir", dir -> b.stateDir(resolve(dir)));
        bool("agentcron.enabled", b::agentCronEnabled);
        text("cron.misfire", policy -> {
            try {
                b.cronMisfire(MisfirePolicy.parse(policy));
            } catch (IllegalArgumentException e) {
                throw wrongType("cron.misfire", "\"fire-once\" or \"skip\"", policy);
            }
        });
        integer("cron.outboxmax", b::outboxMax);
        integer("outbox.max", b::outboxMax);
        longInteger("apps.maxpackagebytes", b::maxPackageBytes);
        integer("apps.downloadtimeout", b::downloadTimeoutSeconds);
        integer("output.flush-ms", b::outputFlushMillis);
        integer("output.max-pending-bytes", b::outputMaxPendingBytes);
        return b;
    }

    private Path resolve(String dir) {
        Path p = Path.of(dir);
        Path base = source.toAbsolutePath().getParent();
        return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
    }

    private void text(String key, Consumer<String> setter) {
        Object v = values.get(key);
        if (v != null) {
            if (!(v instanceof String)) {
                throw wrongType(key, "a string", v);
            }
            setter.accept((String) v);
        }
    }

    private String textOr(String key, String fallback) {
        String[] holder = {fallback};
        text(key, s -> holder[0] = s);
        return holder[0];
    }

    private void integer(String key, IntConsumer setter) {
        Object v = values.get(key);
        if (v != null) {
            if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() == ((Number) v).intValue()) {
                setter.accept(((Number) v).intValue());
            } else if (v instanceof String && ((String) v).matches("-?\\d{1,9}")) {
                setter.accept(Integer.parseInt((String) v));
            } else {
                throw wrongType(key, "an integer", v);
            }
        }
    }

    private void longInteger(String key, LongConsumer setter) {
        Object v = values.get(key);
        if (v != null) {
            if (v instanceof Integer || v instanceof Long) {
                setter.accept(((Number) v).longValue());
            } else if (v instanceof String && ((String) v).matches("-?\\d{1,18}")) {
                setter.accept(Long.parseLong((String) v));
            } else {
                throw wrongType(key, "an integer", v);
            }
        }
    }

    private int intOr(String key, int fallback) {
        int[] holder = {fallback};
        integer(key, i -> holder[0] = i);
        return holder[0];
    }

    private void bool(String key, Consumer<Boolean> setter) {
        Object v = values.get(key);
        if (v != null) {
            // the original's flags are sometimes strings ("true"), as in cron.json
            if (v instanceof Boolean) {
                setter.accept((Boolean) v);
            } else if ("true".equals(v) || "false".equals(v)) {
                setter.accept(Boolean.parseBoolean((String) v));
            } else {
                throw wrongType(key, "true or false", v);
            }
        }
    }

    /** A list of host:port (a bare host gets {@code defaultPort}). */
    private List<Endpoint> endpoints(String key, int defaultPort) {
        return Endpoint.parseAll(textList(key), defaultPort);
    }

    private List<String> textList(String key) {
        Object v = values.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof String) {
            // a comma list is accepted too, as on the command line
            for (String s : ((String) v).split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
            return out;
        }
        if (!(v instanceof List)) {
            throw wrongType(key, "a list of strings", v);
        }
        for (Object item : (List<?>) v) {
            if (!(item instanceof String)) {
                throw wrongType(key, "a list of strings", v);
            }
            out.add(((String) item).trim());
        }
        return out;
    }

    private Map<String, String> apps() {
        Object v = values.get("apps");
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map)) {
            throw wrongType("apps", "an object {\"app\": \"version\"}", v);
        }
        ((Map<?, ?>) v).forEach((app, version) -> out.put(app.toString(), String.valueOf(version)));
        return out;
    }

    private IllegalArgumentException wrongType(String key, String expected, Object got) {
        String shown = got instanceof String ? "\"" + got + "\"" : String.valueOf(got);
        return new IllegalArgumentException("agent config " + source + ": '" + key + "' must be " + expected
                + ", got " + shown);
    }
}

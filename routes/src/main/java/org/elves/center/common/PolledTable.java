package org.elves.center.common;

import org.elves.center.rpc.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A table one component keeps of another's data, asked for every few seconds with the version it
 * holds; the owner answers {version, changed, ...} and sends the data only when it changed
 * (Heartbeat's agent-side crons and deployments, OpenAPI's keys). Until the first answer nothing
 * is known ({@link #value()} is null), which callers treat differently from an empty table; an
 * owner that does not answer leaves the table as it is.
 *
 * @param <T> what the answer's data becomes
 */
public abstract class PolledTable<T> {
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String what;
    private volatile String version = "";
    private volatile T value;
    private volatile boolean failing;

    protected PolledTable(String what) {
        this.what = what;
    }

    /** The body of the owner's call: the version held ("" before the first answer). */
    public Map<String, Object> query() {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("version", version);
        return q;
    }

    /** The owner's answer {flag, result:{version, changed, ...}}: kept when it changed. */
    @SuppressWarnings("unchecked")
    public void answered(Map<String, Object> reply) {
        if (!Replies.isOk(reply) || !(reply.get("result") instanceof Map<?, ?> result)) {
            failed(new IllegalStateException(reply == null ? "no answer" : String.valueOf(reply.get("error"))));
            return;
        }
        if (failing) {
            failing = false;
            log.info("{}: answered again", what);
        }
        if (Boolean.TRUE.equals(result.get("changed"))) {
            value = parse((Map<String, Object>) result);
            version = String.valueOf(result.get("version"));
            log.debug("{}: version {}", what, version);
        }
    }

    /** The owner did not answer: the table stays as it is (logged once per outage). */
    public void failed(Exception e) {
        if (!failing) {
            failing = true;
            log.warn("{} not refreshed (kept as they are): {}", what, e.getMessage());
        }
    }

    /** The table, or null while the owner never answered. */
    public T value() {
        return value;
    }

    /**
     * The owner's answer to {@link #query()}: {version, changed} and, only when the caller's version
     * is not {@code current}, {@code key}: the data.
     */
    public static Map<String, Object> answer(String current, Map<String, Object> query, String key,
                                             java.util.function.Supplier<Object> data) {
        return answerWith(current, query, () -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put(key, data.get());
            return fields;
        });
    }

    /** As {@link #answer}, for data made of several fields ({@code fields}' entries). */
    public static Map<String, Object> answerWith(String current, Map<String, Object> query,
                                                 java.util.function.Supplier<Map<String, Object>> fields) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("version", current);
        Object held = query == null ? null : query.get("version");
        boolean changed = !current.equals(held == null ? "" : String.valueOf(held).trim());
        result.put("changed", changed);
        if (changed) {
            result.putAll(fields.get());
        }
        return Replies.ok(result);
    }

    /** The table from the owner's result. */
    protected abstract T parse(Map<String, Object> result);
}

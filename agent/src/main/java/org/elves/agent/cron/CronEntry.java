package org.elves.agent.cron;

import org.elves.agent.LightJson;
import org.elves.protocol.CronRule;
import org.elves.protocol.CronRunId;
import org.elves.protocol.ElvesException;
import org.elves.protocol.thrift.Instruct;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One agent-side cron as the center pushes it (an element of the {@code "crons"} list):
 * {@code {"id","app","func","param","timeout","proxy","mode","rule","timezone"}}. {@code param}
 * is JSON text, like {@link Instruct#param}; it may hold secrets, so it is never logged.
 */
public record CronEntry(String id, String app, String func, String param, int timeout, String proxy,
                        String mode, String rule, String timezone) {

    /**
     * The entry a JSON object describes, its rule already checked.
     *
     * @throws IllegalArgumentException naming what is wrong (never quoting param)
     */
    public static CronEntry from(Object node) {
        if (!(node instanceof Map)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<?, ?> m = (Map<?, ?>) node;
        String id = text(m, "id", true);
        String app = text(m, "app", true);
        String func = text(m, "func", true);
        Object rawParam = m.get("param");
        // a JSON object instead of JSON text is taken as meant
        String param = rawParam == null ? "" : rawParam instanceof String ? (String) rawParam : LightJson.writeValue(rawParam);
        int timeout = number(m.get("timeout"));
        String proxy = text(m, "proxy", false);
        String mode = text(m, "mode", false).toUpperCase(Locale.ROOT);
        if (mode.isEmpty()) {
            mode = "NP";
        } else if (!mode.equals("P") && !mode.equals("NP")) {
            throw new IllegalArgumentException("mode must be P or NP, got \"" + mode + "\"");
        }
        String rule = text(m, "rule", true);
        String timezone = text(m, "timezone", false);
        CronEntry entry = new CronEntry(id, app, func, param, timeout, proxy, mode, rule, timezone);
        entry.parseRule();
        return entry;
    }

    /**
     * @throws IllegalArgumentException when the rule or the time zone is refused (message from
     *                                  {@link CronRule#parse})
     */
    public CronRule parseRule() {
        try {
            return CronRule.parse(rule, timezone);
        } catch (ElvesException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The instruct of the run scheduled at {@code fireTime}; its id is {@code <id>@<epoch seconds>}. */
    public Instruct instruct(String agentIp, Instant fireTime) {
        return new Instruct(CronRunId.of(id, fireTime), agentIp, "cron", mode, app, func, param, timeout, proxy);
    }

    /** The JSON object of the contract, for the state file. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("app", app);
        m.put("func", func);
        m.put("param", param);
        m.put("timeout", timeout);
        m.put("proxy", proxy);
        m.put("mode", mode);
        m.put("rule", rule);
        m.put("timezone", timezone);
        return m;
    }

    private static String text(Map<?, ?> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null || (v instanceof String && ((String) v).isBlank())) {
            if (required) {
                throw new IllegalArgumentException("\"" + key + "\" is missing");
            }
            return "";
        }
        if (!(v instanceof String) && !(v instanceof Number) && !(v instanceof Boolean)) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string");
        }
        return v.toString().trim();
    }

    private static int number(Object v) {
        if (v == null || "".equals(v)) {
            return 0;
        }
        if (v instanceof Number) {
            return Math.max(0, ((Number) v).intValue());
        }
        if (v instanceof String && ((String) v).trim().matches("\\d{1,9}")) {
            return Integer.parseInt(((String) v).trim());
        }
        throw new IllegalArgumentException("\"timeout\" must be a number of seconds");
    }
}

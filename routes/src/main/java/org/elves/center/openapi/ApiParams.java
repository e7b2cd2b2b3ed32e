package org.elves.center.openapi;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;

import java.util.regex.Pattern;

/** Validation of the business parameters, with the reference's codes (§3.3). */
final class ApiParams {
    static final String IPV4_PATTERN =
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(IPV4_PATTERN);
    /** App instructs name directories on agents: letters, digits, '-' and '_' only. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private ApiParams() {
    }

    static String app(ApiRequest r) {
        String app = r.get("app");
        if (!NAME.matcher(app).matches() || app.contains("..")) {
            throw new ElvesException(ErrorCode.PARAM_APP, app.isEmpty() ? "app is required" : "not an app name: " + app);
        }
        return app;
    }

    static String func(ApiRequest r) {
        String func = r.get("func");
        if (!NAME.matcher(func).matches() || func.contains("..")) {
            throw new ElvesException(ErrorCode.PARAM_FUNC, func.isEmpty() ? "func is required" : "not a func name: " + func);
        }
        return func;
    }

    static String ip(ApiRequest r) {
        String ip = r.get("ip");
        if (!IPV4.matcher(ip).matches()) {
            throw new ElvesException(ErrorCode.PARAM_IP, ip.isEmpty() ? "ip is required" : "not an IPv4 address: " + ip);
        }
        return ip;
    }

    static String param(ApiRequest r) {
        String param = r.get("param");
        if (!param.isBlank() && !Json.isValid(param)) {
            throw new ElvesException(ErrorCode.PARAM_PARAM, "param is not valid JSON");
        }
        return param;
    }

    /** Seconds; the configured default when absent. */
    static int timeout(ApiRequest r, int defaultSeconds) {
        String timeout = r.get("timeout");
        if (timeout.isBlank()) {
            return defaultSeconds;
        }
        if (!timeout.chars().allMatch(Character::isDigit) || timeout.length() > 7) {
            throw new ElvesException(ErrorCode.PARAM_TIMEOUT, "timeout must be whole seconds, got " + timeout);
        }
        return Integer.parseInt(timeout);
    }

    static boolean flag(ApiRequest r, String name) {
        String v = r.get(name);
        if (v.isEmpty() || "false".equalsIgnoreCase(v)) {
            return false;
        }
        if ("true".equalsIgnoreCase(v)) {
            return true;
        }
        throw new ElvesException(ErrorCode.PARAM_PARAM, name + " must be true or false");
    }

    /** showcron=true asks the cron module for the agent's crons: 402.2 when it is off. */
    static boolean showCron(ApiRequest r, org.elves.config.ElvesConfig config) {
        boolean show = flag(r, "showcron");
        if (show && !config.requireBoolean("elves.openapi.cron.enabled")) {
            throw new ElvesException(ErrorCode.MODULE_CRON_DISABLED);
        }
        return show;
    }

    /** "P" or "NP"; "NP" when absent (reference §3.4.5). */
    static String mode(ApiRequest r) {
        return org.elves.center.common.JobParams.mode(r.get("mode"));
    }

    /** A queue id: 16 hex characters, as the center makes them. */
    static String queueId(ApiRequest r) {
        String id = r.get("queue_id");
        if (!org.elves.protocol.TaskIds.isValid(id)) {
            throw new ElvesException(ErrorCode.PARAM_QUEUE_ID, id.isEmpty() ? "queue_id is required" : "not a queue id: " + id);
        }
        return id;
    }

    /** A cron id: exactly 16 characters (reference §3.3, 403.9). */
    static String cronId(ApiRequest r) {
        String id = r.get("cron_id");
        if (id.length() != 16) {
            throw new ElvesException(ErrorCode.PARAM_CRON_ID, id.isEmpty() ? "cron_id is required"
                    : "a cron id has 16 characters, got " + id.length() + ": " + id);
        }
        return id;
    }

    /** The Quartz rule, checked with the one parser center and agents share (403.5). */
    static String cronRule(ApiRequest r) {
        return org.elves.protocol.CronRule.parse(r.get("rule"), null).rule();
    }

    /** The rule's time zone as given (trimmed), "" when absent = UTC (403.11 for an unknown zone). */
    static String timezone(ApiRequest r) {
        String tz = r.get("timezone").trim();
        org.elves.protocol.CronRule.zone(tz);
        return tz;
    }

    /** Where a cron fires: "center" (default) or "agent" (403.12 otherwise). */
    static String cronSide(ApiRequest r) {
        String side = r.get("side").trim().toLowerCase(java.util.Locale.ROOT);
        if (side.isEmpty()) {
            return "center";
        }
        if (!side.equals("center") && !side.equals("agent")) {
            throw new ElvesException(ErrorCode.PARAM_CRON_SIDE, "side must be center or agent, got '" + r.get("side") + "'");
        }
        return side;
    }
}

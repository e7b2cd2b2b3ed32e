package org.elves.center.openapi;

import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every business parameter an API endpoint may declare (its route's {@code params}): what it is
 * (OpenAPI schema and description), the code a bad value gets, and how the API checks it. The
 * same entry serves the check and the document, so the two cannot disagree. Parameters whose
 * {@code check} is null are checked by the component the call goes to (the Supervisor's
 * catalogue rules); the API passes them on as given and only documents them.
 */
public enum ApiParameter {
    APP("app", "string", "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", ErrorCode.PARAM_APP,
            "An app's name (the Supervisor creates names of 1-30 of a-z, 0-9 and -)",
            (r, c) -> ApiParams.app(r)),
    FUNC("func", "string", "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", ErrorCode.PARAM_FUNC,
            "The function of the app to run", (r, c) -> ApiParams.func(r)),
    IP("ip", "string", ApiParams.IPV4_PATTERN, ErrorCode.PARAM_IP,
            "The agent's IPv4 address", (r, c) -> ApiParams.ip(r)),
    PARAM("param", "string", null, ErrorCode.PARAM_PARAM,
            "The worker's parameter: JSON text, or empty", (r, c) -> ApiParams.param(r)),
    TIMEOUT("timeout", "integer", null, ErrorCode.PARAM_TIMEOUT,
            "Seconds the worker may run (0: no limit); the center's elves.timeout when absent",
            (r, c) -> ApiParams.timeout(r, c.requireInt("elves.timeout"))),
    MODE("mode", "string", "(?i)NP|P", ErrorCode.PARAM_MODE,
            "NP: no processor; P: the app's processor gets the result", (r, c) -> ApiParams.mode(r)),
    PROXY("proxy", "string", null, null,
            "The interpreter the agent runs the worker with (e.g. python3), or empty", (r, c) -> r.get("proxy")),
    QUEUE_ID("queue_id", "string", "[0-9A-Fa-f]{16}", ErrorCode.PARAM_QUEUE_ID,
            "A queue's id, as /queue/create answered it", (r, c) -> ApiParams.queueId(r)),
    DEPEND_TASK_ID("depend_task_id", "string", null, ErrorCode.DEPEND_TASK_NOT_FOUND,
            "The task of the same queue this one waits for, or empty", (r, c) -> r.get("depend_task_id")),
    CRON_ID("cron_id", "string", ".{16}", ErrorCode.PARAM_CRON_ID,
            "A cron's id (16 characters), as /cron/add answered it", (r, c) -> ApiParams.cronId(r)),
    RULE("rule", "string", null, ErrorCode.PARAM_CRON_RULE,
            "A Quartz cron rule: seconds minutes hours day-of-month month day-of-week [year]",
            (r, c) -> ApiParams.cronRule(r)),
    TIMEZONE("timezone", "string", null, ErrorCode.PARAM_TIMEZONE,
            "The rule's time zone (e.g. Europe/Berlin, +02:00); UTC when absent", (r, c) -> ApiParams.timezone(r)),
    SIDE("side", "string", "(?i)center|agent", ErrorCode.PARAM_CRON_SIDE,
            "Who fires the cron: center (default) or agent (runs while the center is away)",
            (r, c) -> ApiParams.cronSide(r)),
    SHOWCRON("showcron", "boolean", null, ErrorCode.PARAM_PARAM,
            "true: the answer lists the agent's crons (cron_list); needs the cron module",
            (r, c) -> ApiParams.showCron(r, c)),
    VERSION("version", "string", "[A-Za-z0-9][A-Za-z0-9.-]{0,29}", ErrorCode.PARAM_VERSION,
            "An app version", null),
    SHA256("sha256", "string", "[0-9A-Fa-f]{64}", ErrorCode.PARAM_PACKAGE,
            "The SHA-256 of the package (the request's body), hex", null),
    AGENTS("agents", "string", null, ErrorCode.PARAM_AGENTS,
            "*, or a comma list of IPv4 addresses, networks (a.b.c.d/n) and categories (@name)", null),
    NAME("name", "string", null, null, "A readable name", null),
    PROCESSOR("processor", "string", null, ErrorCode.PARAM_APP,
            "Where the app's processor listens, host:port; empty for none", null),
    STRONG_ONLY("strong_only", "boolean", null, null,
            "true: the key signs with hmac-sha256 only (md5 refused)", null),
    ADMIN("admin", "boolean", null, null, "true: an admin key (may call /admin/*)", null),
    KEY_ID("key_id", "string", null, ErrorCode.AUTH_ID_NOT_FOUND,
            "The auth_id of the key the action is about", null),
    LIMIT("limit", "integer", null, null, "How many of the latest entries (default 100)", null),
    TASK_ID("task_id", "string", LogParams.TASK_ID_PATTERN, ErrorCode.PARAM_TASK_ID,
            "A task's id (16 hex characters); for rt/exec a new one the client chose, to follow its output",
            (r, c) -> LogParams.taskId(r)),
    AGENT_IP("agent_ip", "string", ApiParams.IPV4_PATTERN, ErrorCode.PARAM_IP,
            "Only tasks of this agent", (r, c) -> LogParams.optionalIp(r)),
    INSTRUCT("instruct", "string", "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", ErrorCode.PARAM_APP,
            "Only tasks of this app", (r, c) -> LogParams.app(r)),
    BY_AUTH_ID("by_auth_id", "string", null, null, "Only tasks asked by this key (its auth_id)", null),
    CREATETIME_BEGIN("createtime_begin", "string", null, ErrorCode.PARAM_LOGS,
            "Tasks accepted from then: yyyy-MM-dd HH:mm:ss[.SSS] UTC, or Unix milliseconds",
            (r, c) -> LogParams.time(r, "createtime_begin")),
    CREATETIME_END("createtime_end", "string", null, ErrorCode.PARAM_LOGS,
            "Tasks accepted until then: yyyy-MM-dd HH:mm:ss[.SSS] UTC, or Unix milliseconds",
            (r, c) -> LogParams.time(r, "createtime_end")),
    CREATETIME_SORT("createtime_sort", "string", "(?i)asc|desc", ErrorCode.PARAM_LOGS,
            "desc: newest first (default); asc: oldest first", (r, c) -> LogParams.sort(r)),
    RESULT_FLAG("result_flag", "string", "[012]{1,3}", ErrorCode.PARAM_LOGS,
            "Digits of the results wanted: 0 fail, 1 success, 2 running (default 012)", (r, c) -> LogParams.resultFlags(r)),
    COUNT("count", "integer", null, ErrorCode.PARAM_LOGS, "Tasks per page (default 50, at most 500)",
            (r, c) -> LogParams.number(r, "count", 1, 500, 50)),
    PAGE("page", "integer", null, ErrorCode.PARAM_LOGS, "The page, from 1 (default 1)",
            (r, c) -> LogParams.number(r, "page", 1, 1_000_000, 1)),
    AFTER_SEQ("after_seq", "integer", null, ErrorCode.PARAM_LOGS, "Only output chunks after this seq (default 0)",
            (r, c) -> LogParams.number(r, "after_seq", 0, Integer.MAX_VALUE, 0));

    /** How the API checks a value: the normalized value, or a coded ElvesException. */
    @FunctionalInterface
    interface Check {
        Object apply(ApiRequest request, ElvesConfig config);
    }

    private final String wireName;
    private final String type;
    private final String pattern;
    private final ErrorCode code;
    private final String description;
    private final Check check;

    ApiParameter(String wireName, String type, String pattern, ErrorCode code, String description, Check check) {
        this.wireName = wireName;
        this.type = type;
        this.pattern = pattern;
        this.code = code;
        this.description = description;
        this.check = check;
    }

    public String wireName() {
        return wireName;
    }

    /** The code a bad value answers, or null when any value is taken. */
    public ErrorCode code() {
        return code;
    }

    /** Whether the API checks it (true) or the component the call goes to (false). */
    public boolean checkedHere() {
        return check != null;
    }

    /**
     * The value the call carries: checked and normalized (a default for an absent optional one)
     * when the API checks it, else the text as given.
     */
    Object value(ApiRequest request, boolean required, ElvesConfig config) {
        if (check == null) {
            return request.get(wireName);
        }
        boolean blank = request.get(wireName).isBlank();
        if (required && blank) {
            throw new ElvesException(code, wireName + " is required");
        }
        try {
            return check.apply(request, config);
        } catch (ElvesException e) {
            // an optional one left empty whose check wants a value (app of /admin/app/status) is passed on empty
            if (!required && blank) {
                return "";
            }
            throw e;
        }
    }

    /** The OpenAPI schema of the value; the default as the center applies it. */
    Map<String, Object> schema(ElvesConfig config) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", type);
        if (pattern != null) {
            // anchored: OpenAPI patterns match anywhere, the API matches the whole value
            schema.put("pattern", "^(" + pattern.replace("(?i)", "") + ")$");
        }
        switch (this) {
            case TIMEOUT -> {
                schema.put("minimum", 0);
                schema.put("maximum", 9_999_999);
                schema.put("default", config.requireInt("elves.timeout"));
            }
            case MODE -> schema.put("default", "NP");
            case SIDE -> schema.put("default", "center");
            case SHOWCRON, STRONG_ONLY, ADMIN -> schema.put("default", false);
            case LIMIT, PAGE -> schema.put("minimum", 1);
            case COUNT -> {
                schema.put("minimum", 1);
                schema.put("maximum", 500);
                schema.put("default", 50);
            }
            default -> {
            }
        }
        return schema;
    }

    String description() {
        String checkedBy = check == null && code != null ? " (checked by the component the call goes to)" : "";
        return code == null ? description + checkedBy : description + "; " + code.code() + " when illegal" + checkedBy;
    }

    /** The entry for a name as a route declares it ({@code queue_id}, {@code showcron}, ...). */
    static ApiParameter named(String name) {
        for (ApiParameter p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown API parameter '" + name + "'; known: "
                + List.of(values()).stream().map(ApiParameter::wireName).toList());
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

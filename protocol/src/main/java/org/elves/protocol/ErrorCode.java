package org.elves.protocol;

/**
 * The return codes of the reference's table (§3.3), written on the wire as {@code [code]Value}.
 * Codes marked "extension" are ours, for cases the original table does not separate; each is
 * documented in docs/api.md.
 */
public enum ErrorCode {
    MISSING_SIGN_PARAM("401.1", "Unauthorized Missing Sign Param"),
    AUTH_ID_ILLEGAL("401.2", "Unauthorized AuthId Is Illegal"),
    SIGN_TYPE_ILLEGAL("401.3", "Unauthorized SignType Is Illegal"),
    SIGN_LENGTH_ILLEGAL("401.4", "Unauthorized Sign Length Is Illegal"),
    SIGN_ERROR("401.5", "Unauthorized Sign Error"),
    PERMISSION_DENIED("401.6", "Unauthorized AuthId Permission Denied"),
    SIGN_TIMEOUT("401.7", "Unauthorized Sign Timeout"),
    TIMESTAMP_ILLEGAL("401.8", "Unauthorized Timestamp Is Illegal"),
    /**
     * extension: an hmac-sha256 request whose auth_id and nonce were already seen within the
     * signature window (a replay); checked after the signature, so forgeries never reach it.
     */
    NONCE_REPLAYED("401.9", "Unauthorized Nonce Replayed"),
    /**
     * extension: the HTTP request itself cannot be read: a broken percent-escape, invalid UTF-8,
     * a control character where none may be, an undecodable form body (docs/api.md "Malformed requests").
     */
    REQUEST_MALFORMED("400.1", "Request Malformed"),
    /** extension: a form body with too many fields or a field too long, or a body over the server's limit. */
    REQUEST_TOO_LARGE("400.2", "Request Too Large"),
    MODULE_SUPERVISOR_DISABLED("402.1", "Require Module (supervisor) Not Enabled"),
    MODULE_CRON_DISABLED("402.2", "Require Module (cron) Not Enabled"),
    MODULE_QUEUE_DISABLED("402.3", "Require Module (queue) Not Enabled"),
    PARAM_IP("403.1", "Request Params (ip) Illegal"),
    PARAM_PARAM("403.2", "Request Params (param) Illegal"),
    PARAM_APP("403.3", "Request Params (app) Illegal"),
    PARAM_MODE("403.4", "Request Params (mode) Illegal"),
    PARAM_CRON_RULE("403.5", "Request Params (cron-rule) Illegal"),
    PARAM_QUEUE_ID("403.6", "Request Params (queue_id) Illegal"),
    PARAM_FUNC("403.7", "Request Params (func) Illegal"),
    PARAM_TIMEOUT("403.8", "Request Params (timeout) Illegal"),
    PARAM_CRON_ID("403.9", "Request Params (cron_id) Illegal"),
    /** extension: a parameter given twice would be signed ambiguously (reference G2). */
    PARAM_REPEATED("403.10", "Request Params Repeated"),
    /** extension: a cron's time zone is not a known zone id (e.g. "Europe/Berlin", "UTC"). */
    PARAM_TIMEZONE("403.11", "Request Params (timezone) Illegal"),
    /** extension: a cron's side is neither center nor agent. */
    PARAM_CRON_SIDE("403.12", "Request Params (side) Illegal"),
    /** extension: an app version is not [A-Za-z0-9.-]+ (1-30 characters). */
    PARAM_VERSION("403.13", "Request Params (version) Illegal"),
    /** extension: an uploaded package is not a zip, too big, or not what its sha256 says. */
    PARAM_PACKAGE("403.14", "Request Params (package) Illegal"),
    /** extension: agents is neither "*" nor a comma list of IPv4 addresses. */
    PARAM_AGENTS("403.15", "Request Params (agents) Illegal"),
    /** extension: a task_id that is not 16 hex characters, or one already used by a task. */
    PARAM_TASK_ID("403.16", "Request Params (task_id) Illegal"),
    /** extension: a logs filter that cannot be read (time, sort, result_flag, count, page, after_seq). */
    PARAM_LOGS("403.17", "Request Params (logs) Illegal"),
    /** extension: an unknown API path. */
    PATH_NOT_FOUND("404.1", "Request Path Not Found"),
    /** extension: a known path asked with a method it does not answer (the API answers GET and POST). */
    METHOD_NOT_ALLOWED("405.1", "Request Method Not Allowed"),
    SEND_JOB_FAIL("410.1", "Send Job To Agent Fail"),
    /** extension: the agent took the job but gave no answer within timeout plus margin. */
    AGENT_ANSWER_TIMEOUT("410.2", "Agent Answer Timeout"),
    /**
     * extension: the agent took the task, then died or stopped answering while it ran, and no
     * result came back (a restarted agent reports the task itself when it can).
     */
    AGENT_LOST("410.3", "Agent Lost While Running"),
    CRON_NOT_FOUND("411.1", "Not Find Cron Job To Operate"),
    QUEUE_NOT_FOUND("412.1", "Queue Not Found"),
    QUEUE_STATUS("412.2", "Queue Status Incorrect"),
    STOP_TASK_ERROR("412.3", "Stop Task Error"),
    DEPEND_TASK_NOT_FOUND("412.4", "Depend Task Not Found"),
    AUTH_ID_NOT_FOUND("413.1", "AuthId Not Found"),
    APP_NOT_FOUND("413.2", "App Not Found"),
    /** extension: the app exists but not in this version. */
    APP_VERSION_NOT_FOUND("413.3", "App Version Not Found"),
    /** extension: an app of this name exists already. */
    APP_EXISTS("413.4", "App Exists"),
    AGENT_NOT_FOUND("414.1", "Agent Info Not Found"),
    /** extension: the agent is known but has not sent a heartbeat within the online window. */
    AGENT_OFFLINE("414.2", "Agent Offline"),
    /** extension: no task of that id is recorded by the Watcher. */
    TASK_LOG_NOT_FOUND("404.2", "Task Log Not Found"),
    INTERNAL("500", "Internal ServerError"),
    /**
     * extension: the OpenAPI instance's nonce cache is full of unexpired nonces, so it cannot
     * tell a replay from a fresh hmac-sha256 request and refuses it rather than forget; retry later.
     */
    NONCE_CACHE_FULL("503.1", "Service Busy Nonce Cache Full"),
    /**
     * extension: the center cannot reach its message broker (RabbitMQ) now; nothing was sent,
     * retry once it is back.
     */
    BROKER_UNAVAILABLE("503.2", "Message Broker Unavailable"),
    /** extension: a center component did not answer an rpc.call in time. */
    COMPONENT_TIMEOUT("500.1", "Internal Component Timeout");

    private final String code;
    private final String value;

    ErrorCode(String code, String value) {
        this.code = code;
        this.value = value;
    }

    public String code() {
        return code;
    }

    public String value() {
        return value;
    }

    /** {@code [code]Value}, the exact error text of the reference. */
    public String text() {
        return "[" + code + "]" + value;
    }

    /** {@code [code]Value: detail}; the detail says what exactly was wrong. */
    public String text(String detail) {
        return detail == null || detail.isEmpty() ? text() : text() + ": " + detail;
    }

    /** The HTTP status that goes with the code: its integer part (401, 403, 414, 500, ...). */
    public int httpStatus() {
        int dot = code.indexOf('.');
        return Integer.parseInt(dot < 0 ? code : code.substring(0, dot));
    }

    /** The code of an error text such as {@code [414.1]Agent Info Not Found}, or null. */
    public static ErrorCode ofText(String errorText) {
        if (errorText == null || !errorText.startsWith("[")) {
            return null;
        }
        int end = errorText.indexOf(']');
        if (end < 0) {
            return null;
        }
        String code = errorText.substring(1, end);
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return null;
    }
}

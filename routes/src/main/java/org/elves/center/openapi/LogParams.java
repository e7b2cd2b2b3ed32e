package org.elves.center.openapi;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Validation of the logs API's filters (docs/api.md "Logs"); a bad value is [403.17], a bad task id [403.16]. */
final class LogParams {
    static final String TASK_ID_PATTERN = "[0-9A-Fa-f]{16}";
    private static final Pattern TASK_ID = Pattern.compile(TASK_ID_PATTERN);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private LogParams() {
    }

    static String taskId(ApiRequest r) {
        String id = r.get("task_id");
        if (!TASK_ID.matcher(id).matches()) {
            throw new ElvesException(ErrorCode.PARAM_TASK_ID, id.isEmpty() ? "task_id is required"
                    : "a task id is 16 hex characters: " + id);
        }
        return id.toUpperCase(java.util.Locale.ROOT);
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.SSS]} or {@code yyyy-MM-dd} in UTC, or Unix ms: Unix ms. */
    static long time(ApiRequest r, String name) {
        String text = r.get(name).trim();
        if (!text.isEmpty() && text.length() <= 15 && text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            DateTimeFormatter format = text.length() > 19 ? MILLIS : SECONDS;
            return LocalDateTime.parse(text, format).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new ElvesException(ErrorCode.PARAM_LOGS, name + " is neither yyyy-MM-dd HH:mm:ss nor Unix milliseconds: " + text);
        }
    }

    static String sort(ApiRequest r) {
        String sort = r.get("createtime_sort").trim().toLowerCase(java.util.Locale.ROOT);
        if (sort.isEmpty()) {
            return "desc";
        }
        if (!sort.equals("asc") && !sort.equals("desc")) {
            throw new ElvesException(ErrorCode.PARAM_LOGS, "createtime_sort is asc or desc, got " + sort);
        }
        return sort;
    }

    static String resultFlags(ApiRequest r) {
        String flags = r.get("result_flag").trim();
        if (flags.isEmpty()) {
            return "012";
        }
        if (flags.length() > 3 || !flags.chars().allMatch(c -> c >= '0' && c <= '2')) {
            throw new ElvesException(ErrorCode.PARAM_LOGS, "result_flag is digits of 0 (fail), 1 (success), 2 (running), got " + flags);
        }
        return flags;
    }

    /** A whole number from {@code min} to {@code max}; {@code otherwise} when absent. */
    static long number(ApiRequest r, String name, long min, long max, long otherwise) {
        String text = r.get(name).trim();
        if (text.isEmpty()) {
            return otherwise;
        }
        if (text.length() > 12 || !text.chars().allMatch(Character::isDigit)) {
            throw new ElvesException(ErrorCode.PARAM_LOGS, name + " must be a whole number, got " + text);
        }
        long n = Long.parseLong(text);
        if (n < min || n > max) {
            throw new ElvesException(ErrorCode.PARAM_LOGS, name + " must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    static String app(ApiRequest r) {
        String app = r.get("instruct");
        if (!app.isEmpty() && (!Pattern.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", app) || app.contains(".."))) {
            throw new ElvesException(ErrorCode.PARAM_APP, "not an app name: " + app);
        }
        return app;
    }

    static String optionalIp(ApiRequest r) {
        String ip = r.get("agent_ip");
        if (!ip.isEmpty() && !Pattern.matches(ApiParams.IPV4_PATTERN, ip)) {
            throw new ElvesException(ErrorCode.PARAM_IP, "not an IPv4 address: " + ip);
        }
        return ip;
    }
}

package org.elves.cli.logs;

import org.elves.protocol.CronRunId;
import org.elves.protocol.TaskIds;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arguments of {@code elves logs} read into what the API takes (docs/api.md "Logs"), each
 * refused with IllegalArgumentException before any request: the kind of task, the times, the
 * results, the task id.
 */
final class LogArguments {
    /** {@code --type} → the list's path under /api/v2/logs/ and the field of the answer holding it. */
    static final Map<String, String> TYPES = Map.of(
            "rt", "rt_exec_logs",
            "queues", "queue_exec_logs",
            "centercron", "centercron_exec_logs",
            "selfcron", "selfcron_exec_logs");
    static final List<String> TYPE_NAMES = List.of("rt", "queues", "centercron", "selfcron");
    /** {@code --result} words → the digits of result_flag. */
    private static final Map<String, String> RESULTS = Map.of(
            "failed", "0", "succeeded", "1", "running", "2", "0", "0", "1", "1", "2", "2");
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,9})([smhd])");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss[.SSS]", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter API_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter API_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private LogArguments() {
    }

    /** The type's name in lower case, checked. */
    static String type(String type) {
        String t = type.trim().toLowerCase(Locale.ROOT);
        if (!TYPES.containsKey(t)) {
            throw new IllegalArgumentException("--type '" + type + "' is not one of " + String.join(", ", TYPE_NAMES));
        }
        return t;
    }

    /**
     * A time: {@code yyyy-MM-dd HH:mm:ss[.SSS]} or {@code yyyy-MM-dd} (UTC, as the API reads
     * them), Unix milliseconds, or {@code 30s}, {@code 15m}, {@code 2h}, {@code 3d}: that long
     * before {@code now}.
     */
    static Instant time(String option, String text, Instant now) {
        String t = text.trim();
        try {
            Matcher relative = RELATIVE.matcher(t);
            if (relative.matches()) {
                long n = Long.parseLong(relative.group(1));
                Duration ago = switch (relative.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                return now.minus(ago);
            }
            if (t.matches("\\d{1,15}")) {
                return Instant.ofEpochMilli(Long.parseLong(t));
            }
            if (DATE.matcher(t).matches()) {
                return LocalDate.parse(t, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(t, DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a time: give yyyy-MM-dd HH:mm:ss or "
                    + "yyyy-MM-dd (UTC), Unix milliseconds, or how long ago (30s, 15m, 2h, 3d)", e);
        }
    }

    /** A time as the API's filters take it: {@code yyyy-MM-dd HH:mm:ss}, with {@code .SSS} when it has milliseconds. */
    static String apiTime(Instant time) {
        return (time.toEpochMilli() % 1000 == 0 ? API_SECONDS : API_MILLIS).format(time);
    }

    /** {@code failed,succeeded,running} (any of them, or the digits 0,1,2) → result_flag digits, e.g. "01". */
    static String resultFlags(String spec) {
        TreeSet<String> digits = new TreeSet<>();
        for (String word : spec.split(",")) {
            String w = word.trim().toLowerCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            String digit = RESULTS.get(w);
            if (digit == null) {
                throw new IllegalArgumentException("--result '" + word.trim() + "' is not failed, succeeded or running");
            }
            digits.add(digit);
        }
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("--result needs failed, succeeded and/or running, separated by commas");
        }
        return String.join("", digits);
    }

    /** A task id: 16 hex characters, or a cron run's {@code <cron id>@<epoch seconds>}. */
    static String taskId(String id) {
        String t = id.trim();
        if (!TaskIds.isValid(t) && CronRunId.parse(t) == null) {
            throw new IllegalArgumentException("TASK_ID '" + id + "' is not a task id (16 hex characters, or "
                    + "<cron id>@<epoch seconds> for a cron's run)");
        }
        return t;
    }
}

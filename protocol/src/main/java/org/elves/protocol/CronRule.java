package org.elves.protocol;

import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.TimeZone;

/**
 * A cron rule in Quartz syntax (reference §4.3.1: seconds minutes hours day-of-month month
 * day-of-week [year], e.g. {@code 0/10 * * * * ?}) in a time zone (UTC unless given). The same
 * rules serve center crons and agent-side crons, so one parser decides what is valid everywhere.
 */
public final class CronRule {
    /** Longer rules are refused (the original's column held 30 characters; reference G20). */
    public static final int MAX_LENGTH = 120;

    private final String rule;
    private final ZoneId zone;
    // Quartz's CronExpression keeps per-call state in fields: one caller at a time
    private final CronExpression expression;

    private CronRule(String rule, ZoneId zone, CronExpression expression) {
        this.rule = rule;
        this.zone = zone;
        this.expression = expression;
    }

    /**
     * @param rule     Quartz expression
     * @param timezone zone id ("Europe/Berlin", "UTC", "+02:00"); null or blank = UTC
     * @throws ElvesException 403.5 for a rule Quartz refuses (with Quartz's reason), 403.11 for an
     *                        unknown time zone
     */
    public static CronRule parse(String rule, String timezone) {
        ZoneId zone = zone(timezone);
        String text = rule == null ? "" : rule.trim();
        if (text.isEmpty()) {
            throw new ElvesException(ErrorCode.PARAM_CRON_RULE, "rule is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new ElvesException(ErrorCode.PARAM_CRON_RULE, "rule longer than " + MAX_LENGTH + " characters");
        }
        try {
            CronExpression expression = new CronExpression(text);
            expression.setTimeZone(TimeZone.getTimeZone(zone));
            return new CronRule(text, zone, expression);
        } catch (ParseException | RuntimeException e) {
            throw new ElvesException(ErrorCode.PARAM_CRON_RULE, "'" + text + "' is not a Quartz cron rule: " + e.getMessage());
        }
    }

    /** @throws ElvesException 403.11 for an unknown zone */
    public static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timezone.trim());
        } catch (DateTimeException e) {
            throw new ElvesException(ErrorCode.PARAM_TIMEZONE, "'" + timezone + "' is not a time zone id (e.g. UTC, Europe/Berlin)");
        }
    }

    public String rule() {
        return rule;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first fire time strictly after {@code after}; null when the rule never fires again. */
    public synchronized Instant nextAfter(Instant after) {
        Date next = expression.getNextValidTimeAfter(Date.from(after));
        return next == null ? null : next.toInstant();
    }

    /**
     * The latest fire time in ({@code after}, {@code until}]: what a misfire policy of "fire once"
     * runs for a gap; null when the rule had no fire time in it.
     */
    public synchronized Instant latestBetween(Instant after, Instant until) {
        Instant latest = null;
        Instant t = after;
        // bounded: a rule firing every second over a day-long gap is 86,400 steps, a few ms
        for (int i = 0; i < 1_000_000; i++) {
            Date next = expression.getNextValidTimeAfter(Date.from(t));
            if (next == null || next.toInstant().isAfter(until)) {
                return latest;
            }
            latest = next.toInstant();
            t = latest;
        }
        return latest;
    }
}

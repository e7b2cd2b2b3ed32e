package org.elves.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns raw string values into typed ones, with errors that name the key (and the value unless secret). */
final class ValueParsers {
    private ValueParsers() {
    }

    static int parseInt(String key, String raw) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "an integer");
        }
    }

    static long parseLong(String key, String raw) {
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "an integer");
        }
    }

    static boolean parseBoolean(String key, String raw) {
        switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw invalid(key, raw, "a boolean (true/false, yes/no, on/off, 1/0)");
        }
    }

    /**
     * A bare number is in {@code bareUnit} (keys say their unit: {@code elves.timeout} is seconds,
     * {@code *-ms} keys are milliseconds); a suffix ({@code ms, s, m, h, d}) or ISO-8601
     * ({@code PT5S}) overrides it.
     */
    static Duration parseDuration(String key, String raw, ChronoUnit bareUnit) {
        String text = raw.trim().toLowerCase(Locale.ROOT);
        try {
            Duration duration;
            if (text.startsWith("p")) {
                duration = Duration.parse(text.toUpperCase(Locale.ROOT));
            } else {
                int split = 0;
                while (split < text.length() && (Character.isDigit(text.charAt(split)) || text.charAt(split) == '-')) {
                    split++;
                }
                long amount = Long.parseLong(text.substring(0, split));
                String unit = text.substring(split).trim();
                duration = switch (unit) {
                    case "" -> Duration.of(amount, bareUnit);
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m", "min" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> throw new NumberFormatException(unit);
                };
            }
            if (duration.isNegative()) {
                throw invalid(key, raw, "a duration that is not negative");
            }
            return duration;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw invalid(key, raw, "a duration (a number of " + bareUnit.toString().toLowerCase(Locale.ROOT)
                    + ", or with a unit: 500ms, 10s, 5m, 2h, 1d, PT10S)");
        }
    }

    /** Comma-separated items, trimmed, empty items dropped. */
    static List<String> parseList(String raw) {
        List<String> items = new ArrayList<>();
        for (String item : raw.split(",")) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return List.copyOf(items);
    }

    private static ConfigException invalid(String key, String raw, String expected) {
        String shown = SecretMasking.isSecret(key) ? "a value" : "'" + SecretMasking.mask(key, raw) + "'";
        return new ConfigException("Setting " + key + " must be " + expected + ", but is " + shown);
    }
}

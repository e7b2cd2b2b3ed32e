package org.elves.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One immutable merged view of every layer. Typed values are parsed once per view and memoized,
 * so hot paths that call {@code getInt} per request pay a map read, not a parse; a change builds
 * a new view, which starts with empty memos.
 */
final class ConfigView {
    private final Map<String, String> values;
    private final Map<String, Integer> ints = new ConcurrentHashMap<>();
    private final Map<String, Long> longs = new ConcurrentHashMap<>();
    private final Map<String, Boolean> booleans = new ConcurrentHashMap<>();
    private final Map<String, List<String>> lists = new ConcurrentHashMap<>();
    private final Map<String, MemoDuration> durations = new ConcurrentHashMap<>();

    private record MemoDuration(ChronoUnit bareUnit, Duration value) {
    }

    ConfigView(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    Map<String, String> values() {
        return values;
    }

    String get(String key) {
        return values.get(key);
    }

    /** The raw value, or null when absent or blank: typed getters treat blank as "not set". */
    private String nonBlank(String key) {
        String raw = values.get(key);
        return raw == null || raw.isBlank() ? null : raw;
    }

    Integer intValue(String key) {
        Integer memo = ints.get(key);
        if (memo != null) {
            return memo;
        }
        String raw = nonBlank(key);
        if (raw == null) {
            return null;
        }
        Integer parsed = ValueParsers.parseInt(key, raw);
        ints.put(key, parsed);
        return parsed;
    }

    Long longValue(String key) {
        Long memo = longs.get(key);
        if (memo != null) {
            return memo;
        }
        String raw = nonBlank(key);
        if (raw == null) {
            return null;
        }
        Long parsed = ValueParsers.parseLong(key, raw);
        longs.put(key, parsed);
        return parsed;
    }

    boolean booleanValue(String key, boolean defaultValue) {
        Boolean memo = booleans.get(key);
        if (memo != null) {
            return memo;
        }
        String raw = nonBlank(key);
        if (raw == null) {
            return defaultValue;
        }
        Boolean parsed = ValueParsers.parseBoolean(key, raw);
        booleans.put(key, parsed);
        return parsed;
    }

    Duration durationValue(String key, ChronoUnit bareUnit) {
        MemoDuration memo = durations.get(key);
        if (memo != null && memo.bareUnit() == bareUnit) {
            return memo.value();
        }
        String raw = nonBlank(key);
        if (raw == null) {
            return null;
        }
        Duration parsed = ValueParsers.parseDuration(key, raw, bareUnit);
        durations.put(key, new MemoDuration(bareUnit, parsed));
        return parsed;
    }

    List<String> listValue(String key) {
        List<String> memo = lists.get(key);
        if (memo != null) {
            return memo;
        }
        String raw = values.get(key);
        if (raw == null) {
            return List.of();
        }
        List<String> parsed = ValueParsers.parseList(raw);
        lists.put(key, parsed);
        return parsed;
    }
}

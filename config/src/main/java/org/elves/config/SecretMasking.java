package org.elves.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Decides which values must never reach a log, and masks them. */
final class SecretMasking {
    static final String MASK = "******";
    private static final String[] SECRET_WORDS = {"password", "secret", "key", "token", "credential"};
    /** {@code scheme://user:password@host}: the password part of a URI's user info. */
    private static final Pattern URI_PASSWORD = Pattern.compile("(://[^/:@\\s]*:)[^@/\\s]+@");

    private SecretMasking() {
    }

    static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    static String mask(String key, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (isSecret(key)) {
            return MASK;
        }
        return URI_PASSWORD.matcher(value).replaceAll("$1" + MASK + "@");
    }

    /** One {@code key=value} line per key, sorted, secrets masked. */
    static String describe(Map<String, String> values) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(values).forEach((key, value) ->
                text.append(key).append('=').append(mask(key, value)).append('\n'));
        return text.toString();
    }
}

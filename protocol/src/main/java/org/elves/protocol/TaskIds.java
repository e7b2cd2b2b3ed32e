package org.elves.protocol;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Task, queue and cron ids: 16 upper-case hex characters, as the original center makes them. */
public final class TaskIds {
    private static final Pattern ID = Pattern.compile("[0-9A-Fa-f]{16}");

    private TaskIds() {
    }

    public static String next() {
        return String.format("%016X", ThreadLocalRandom.current().nextLong());
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }
}

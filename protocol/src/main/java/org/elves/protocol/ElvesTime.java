package org.elves.protocol;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times in API bodies: {@code yyyy-MM-dd HH:mm:ss} in the center's zone, as the reference shows. */
public final class ElvesTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private ElvesTime() {
    }

    public static String format(long epochMillis) {
        return epochMillis <= 0 ? "" : FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }
}

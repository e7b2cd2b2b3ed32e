package org.elves.agent.cron;

import java.util.Locale;

/**
 * What an agent does at start about the times its crons were due while it was down (setting
 * {@code cron.misfire}). A cron new to the agent never fires for times before it arrived.
 */
public enum MisfirePolicy {
    /** one run for the latest missed time ({@code fire-once}, the default). */
    FIRE_ONCE("fire-once"),
    /** no run for missed times ({@code skip}). */
    SKIP("skip");

    private final String text;

    MisfirePolicy(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException for anything but fire-once or skip (case-insensitive) */
    public static MisfirePolicy parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (MisfirePolicy p : values()) {
            if (p.text.equals(v) || p.name().toLowerCase(Locale.ROOT).equals(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException("cron misfire policy must be fire-once or skip, got \"" + value + "\"");
    }

    @Override
    public String toString() {
        return text;
    }
}

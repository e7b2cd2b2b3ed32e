package org.elves.protocol;

import java.time.Instant;

/**
 * The key of one run of a cron: its id and its scheduled fire time, written
 * {@code <cron id>@<epoch seconds>} and used as the run's task id. The Cron store and the agent
 * both refuse a second run of one key, so even two leaders for a moment cannot run it twice; and
 * a result names its cron and fire time without a lookup.
 */
public record CronRunId(String cronId, Instant fireTime) {
    private static final char SEPARATOR = '@';

    public static String of(String cronId, Instant fireTime) {
        return cronId + SEPARATOR + fireTime.getEpochSecond();
    }

    /** The cron and fire time a run id names; null when the id is not a run id. */
    public static CronRunId parse(String runId) {
        if (runId == null) {
            return null;
        }
        int at = runId.lastIndexOf(SEPARATOR);
        if (at <= 0 || at == runId.length() - 1) {
            return null;
        }
        try {
            return new CronRunId(runId.substring(0, at), Instant.ofEpochSecond(Long.parseLong(runId.substring(at + 1))));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return of(cronId, fireTime);
    }
}

package org.elves.center.cron;

import java.util.Arrays;

/**
 * How late runs went out against their schedule (ms), over the last runs: the figure the cron
 * benchmark prints. A fixed ring, so memory stays flat however long the leader runs.
 */
public final class FireDelays {
    private static final int KEPT = 100_000;
    private final long[] ring = new long[KEPT];
    private long count;

    public synchronized void record(long millis) {
        ring[(int) (count++ % KEPT)] = millis;
    }

    public synchronized void clear() {
        count = 0;
    }

    public synchronized long count() {
        return count;
    }

    /** The p-th percentile (0-100) of the kept delays; -1 when none. */
    public synchronized long percentile(double p) {
        int n = (int) Math.min(count, KEPT);
        if (n == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(ring, n);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, index))];
    }
}

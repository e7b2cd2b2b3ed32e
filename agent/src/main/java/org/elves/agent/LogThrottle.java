package org.elves.agent;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a repeated warning through at most once per period, counting what it held back, so a
 * port scanner or a long heartbeat outage cannot flood the log.
 */
public final class LogThrottle {
    private final long periodNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public LogThrottle(long periodMillis) {
        this.periodNanos = periodMillis * 1_000_000L;
    }

    /**
     * @return -1 when this occurrence must not be logged; otherwise how many were held back since
     * the last one that was (0 or more)
     */
    public long permit() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAllowed.compareAndSet(next, now + periodNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }

    /** Starts afresh, e.g. after the failure being logged has recovered. */
    public void reset() {
        nextAllowed.set(Long.MIN_VALUE);
        suppressed.set(0);
    }
}

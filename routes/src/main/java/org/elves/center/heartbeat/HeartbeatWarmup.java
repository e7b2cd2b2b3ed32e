package org.elves.center.heartbeat;

import java.util.function.LongSupplier;

/**
 * How long this Heartbeat process is still too young to call an agent it has not heard from
 * unknown. Its registry lives in memory, so a restarted Heartbeat knows no agent until each sends
 * its next beat, up to one period later (issue 11: tasks sent in that window failed 414.1 "never
 * sent a heartbeat"). For one default period plus a slack after the start, an agent without a
 * beat is "unknown, warming up" instead: the Scheduler asks again shortly.
 * <p>
 * Per process: a starting instance asks the running ones for all they know ({@link BeatSharing}),
 * so beside them it knows the fleet within a moment; this warm-up covers the start of them all.
 */
public class HeartbeatWarmup {
    private final LongSupplier clock;
    private final long startedMs;
    private final LongSupplier warmupMs;

    /**
     * @param warmupMs the warm-up, read per question so a change applies at once: the default
     *                 period ({@code elves.heartbeat.interval-seconds}) plus
     *                 {@code elves.heartbeat.warmup-slack-seconds}
     */
    public HeartbeatWarmup(LongSupplier clock, LongSupplier warmupMs) {
        this.clock = clock;
        this.startedMs = clock.getAsLong();
        this.warmupMs = warmupMs;
    }

    /** Milliseconds of warm-up left; 0 once it is over. */
    public long leftMs() {
        return Math.max(0, startedMs + warmupMs.getAsLong() - clock.getAsLong());
    }

    /** When this process started (ms), for the answers' wording. */
    public long startedMs() {
        return startedMs;
    }
}

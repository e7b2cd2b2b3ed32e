package org.elves.agent.runner;

/**
 * What a worker call produced, in the Reinstruct's terms (reference §8.5.5).
 *
 * @param flag       {@link #TRUE} the worker said true, {@link #FALSE} it said anything else,
 *                   {@link #ERROR} the agent could not get an answer from it
 * @param costMillis wall time around the process
 * @param result     the worker's result text, or the error text
 * @param startTime  when the worker process started, ms since the epoch; 0 when none was started
 * @param endTime    when it ended (or was given up), ms since the epoch; 0 when none was started
 */
public record WorkerOutcome(int flag, int costMillis, String result, long startTime, long endTime) {
    public static final int TRUE = 1;
    public static final int FALSE = 0;
    public static final int ERROR = -1;

    /** An outcome without process times (no worker ran, or they are not known). */
    public WorkerOutcome(int flag, int costMillis, String result) {
        this(flag, costMillis, result, 0, 0);
    }

    /** This outcome of a worker process that ran from {@code start} to {@code end}. */
    public WorkerOutcome ranBetween(long start, long end) {
        return new WorkerOutcome(flag, costMillis, result, start, end);
    }

    /** Whether the process times are known. */
    public boolean timed() {
        return startTime > 0;
    }

    public static WorkerOutcome error(String message, long costMillis) {
        return new WorkerOutcome(ERROR, clamp(costMillis), message);
    }

    static int clamp(long millis) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, millis));
    }
}

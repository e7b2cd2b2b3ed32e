package org.elves.agent.runner;

/**
 * What a worker call produced, in the Reinstruct's terms (reference §8.5.5).
 *
 * @param flag       {@link #TRUE} the worker said true, {@link #FALSE} it said anything else,
 *                   {@link #ERROR} the agent could not get an answer from it
 * @param costMillis wall time around the process
 * @param result     the worker's result text, or the error text
 */
public record WorkerOutcome(int flag, int costMillis, String result) {
    public static final int TRUE = 1;
    public static final int FALSE = 0;
    public static final int ERROR = -1;

    public static WorkerOutcome error(String message, long costMillis) {
        return new WorkerOutcome(ERROR, clamp(costMillis), message);
    }

    static int clamp(long millis) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, millis));
    }
}

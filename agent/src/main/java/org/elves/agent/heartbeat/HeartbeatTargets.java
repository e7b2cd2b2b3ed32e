package org.elves.agent.heartbeat;

import org.elves.agent.config.Endpoint;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Which heartbeat server the agent beats and when, given a list of them (issue 14: agents fail
 * over). The agent stays with the server that answers; when it stops answering the agent moves to
 * the next in the list and tries it after a pause drawn at random up to a bound that doubles with
 * every further failure ("full jitter"), capped. So agents whose server died do not all arrive at
 * the next one in the same second, and a center that is down is asked ever less often, never
 * less than once per {@code maxBackoffMillis}. Each agent starts at a place in the list of its
 * own (its address's hash), so several servers share the agents from the first beat.
 * Not thread-safe: one timer thread uses it.
 */
final class HeartbeatTargets {
    /** The first pause after a failure is up to this; it doubles with each further failure. */
    static final long FIRST_BACKOFF_MILLIS = 1_000;

    private final List<Endpoint> servers;
    private final long intervalMillis;
    private final long maxBackoffMillis;
    private final RandomGenerator random;
    private int current;
    private int failuresInARow;

    HeartbeatTargets(List<Endpoint> servers, String agentIp, long intervalMillis, long maxBackoffMillis,
                     RandomGenerator random) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no heartbeat server");
        }
        this.servers = List.copyOf(servers);
        this.intervalMillis = intervalMillis;
        this.maxBackoffMillis = Math.max(FIRST_BACKOFF_MILLIS, maxBackoffMillis);
        this.random = random;
        this.current = Math.floorMod(agentIp.hashCode(), servers.size());
    }

    /** The server the next beat goes to. */
    Endpoint current() {
        return servers.get(current);
    }

    /** The beat was answered: stay with this server, beat again after the interval. */
    long answered() {
        failuresInARow = 0;
        return intervalMillis;
    }

    /** The beat failed: the next server in the list, after a random pause within the growing bound. */
    long failed() {
        failuresInARow++;
        current = (current + 1) % servers.size();
        return random.nextLong(backoffBound(failuresInARow) + 1);
    }

    /** The upper bound of the pause after {@code failures} failures in a row. */
    long backoffBound(int failures) {
        int doublings = Math.min(failures - 1, 30);
        return Math.min(maxBackoffMillis, FIRST_BACKOFF_MILLIS << doublings);
    }

    int failuresInARow() {
        return failuresInARow;
    }
}

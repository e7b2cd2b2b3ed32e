package org.elves.center.scheduler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Heartbeat's recent "online" answers, kept for a moment so that a burst of tasks to one agent
 * asks Heartbeat once, not once per task: an rpc.call is a good part of a realtime task's cost,
 * and an agent counts as online for three heartbeat periods anyway. Only positive answers are
 * kept: an unknown or offline agent is asked about again every time.
 */
public class OnlineCache {
    private final Map<String, Entry> answers = new ConcurrentHashMap<>();
    private final LongSupplier clockMs;
    private final LongSupplier ttlMs;

    public OnlineCache(LongSupplier clockMs, LongSupplier ttlMs) {
        this.clockMs = clockMs;
        this.ttlMs = ttlMs;
    }

    /** The stat Heartbeat gave for this agent within the last ttl, or null. */
    public Map<String, Object> fresh(String ip) {
        Entry e = answers.get(ip);
        if (e == null) {
            return null;
        }
        if (clockMs.getAsLong() - e.atMs > ttlMs.getAsLong()) {
            answers.remove(ip, e);
            return null;
        }
        return e.answer;
    }

    public void remember(String ip, Map<String, Object> answer) {
        if (ttlMs.getAsLong() > 0) {
            answers.put(ip, new Entry(answer, clockMs.getAsLong()));
        }
    }

    public void forget(String ip) {
        answers.remove(ip);
    }

    private record Entry(Map<String, Object> answer, long atMs) {
    }
}

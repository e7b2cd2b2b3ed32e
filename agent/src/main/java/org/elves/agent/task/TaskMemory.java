package org.elves.agent.task;

import org.elves.agent.runner.WorkerOutcome;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Recent task ids of one agent, so a task id runs at most once: a center that retries after a
 * restart gets the first run's answer instead of a second run. Bounded three ways: the number of
 * finished ids, their age, and the result text kept for them (past that budget the oldest results
 * are dropped but their ids are still remembered). In memory only: {@link TaskLedger} journals it so
 * it survives restarts. Times are wall-clock milliseconds, which a restarted agent can compare.
 */
public final class TaskMemory {

    /** What the agent knows about an id it is asked to run. */
    public enum State {
        /** never seen (or forgotten): the caller now owns it and must call {@link #finish}. */
        NEW,
        /** claimed and not finished yet. */
        RUNNING,
        /** finished; {@link Claim#previous()} is the answer. */
        FINISHED,
        /** finished long enough ago that its result text was dropped to save memory. */
        RESULT_DROPPED
    }

    /** The outcome of a claim; for {@link State#FINISHED} also the first run's answer. */
    public record Claim(State state, int flag, int costtime, String result, long startTime, long endTime) {
        static Claim of(State state) {
            return new Claim(state, 0, 0, null, 0, 0);
        }

        /** The remembered answer for this (repeated) instruct. */
        public Reinstruct answer(Instruct ins) {
            return InstructExecutor.reinstructOf(ins, new WorkerOutcome(flag, costtime, result, startTime, endTime));
        }
    }

    /**
     * Only what a repeated call needs: the instruct is the repeated one (same id), so it is not
     * stored, which keeps an entry near 150 bytes (about 15 MB for 100k ids).
     */
    private static final class Finished {
        /** when it finished, epoch ms. */
        final long at;
        final int flag;
        final int costtime;
        /** the worker process's start and end, epoch ms; 0 when not known. */
        final long startTime;
        final long endTime;
        String result;

        Finished(long at, int flag, int costtime, String result, long startTime, long endTime) {
            this.at = at;
            this.flag = flag;
            this.costtime = costtime;
            this.result = result;
            this.startTime = startTime;
            this.endTime = endTime;
        }

        boolean resultDropped() {
            return result == null;
        }
    }

    private final int maxFinished;
    private final long ttlMillis;
    private final long maxResultChars;
    private final LongSupplier clock;
    private final Set<String> running = new HashSet<>();
    private final LinkedHashMap<String, Finished> finished = new LinkedHashMap<>();
    /** ids whose result text is still kept, oldest first (may hold ids evicted since). */
    private final ArrayDeque<String> withResult = new ArrayDeque<>();
    private long resultChars;

    public TaskMemory(int maxFinished, long ttlMillis, long maxResultChars) {
        this(maxFinished, ttlMillis, maxResultChars, System::currentTimeMillis);
    }

    /** @param clock epoch milliseconds */
    public TaskMemory(int maxFinished, long ttlMillis, long maxResultChars, LongSupplier clock) {
        this.maxFinished = maxFinished;
        this.ttlMillis = ttlMillis;
        this.maxResultChars = maxResultChars;
        this.clock = clock;
    }

    /** Epoch milliseconds by this memory's clock. */
    public long now() {
        return clock.getAsLong();
    }

    /** Claims the id for running, or says why not. Ids that are null or empty are never remembered. */
    public synchronized Claim claim(String id) {
        if (id == null || id.isEmpty()) {
            return Claim.of(State.NEW);
        }
        expire();
        if (running.contains(id)) {
            return Claim.of(State.RUNNING);
        }
        Finished f = finished.get(id);
        if (f != null) {
            return f.resultDropped() ? Claim.of(State.RESULT_DROPPED) : new Claim(State.FINISHED, f.flag, f.costtime, f.result,
                    f.startTime, f.endTime);
        }
        running.add(id);
        return Claim.of(State.NEW);
    }

    /** Records the answer of a claimed id. */
    public synchronized void finish(String id, Reinstruct reins) {
        if (id == null || id.isEmpty() || !running.remove(id)) {
            return;
        }
        remember(id, clock.getAsLong(), reins.getFlag(), reins.getCosttime(),
                reins.getResult() == null ? "" : reins.getResult(), reins.getStartTime(), reins.getEndTime());
    }

    /** Takes an id as running again, as the journal of an earlier run of the agent says. */
    synchronized void restoreRunning(String id) {
        running.add(id);
    }

    /**
     * Takes an id as finished at {@code at} (epoch ms), as the journal says; {@code result} null
     * means its text was dropped already. Entries must come oldest first.
     */
    synchronized void restoreFinished(String id, long at, int flag, int costtime, String result, long startTime,
                                      long endTime) {
        running.remove(id);
        finished.remove(id);
        if (clock.getAsLong() - at < ttlMillis) {
            remember(id, at, flag, costtime, result, startTime, endTime);
        }
    }

    private void remember(String id, long at, int flag, int costtime, String result, long startTime, long endTime) {
        Finished f = new Finished(at, flag, costtime, result, startTime, endTime);
        finished.put(id, f);
        if (result != null && !result.isEmpty()) {
            withResult.addLast(id);
            resultChars += result.length();
        }
        while (finished.size() > maxFinished) {
            evictEldest();
        }
        dropResultsOverBudget();
    }

    /** What a compacted journal keeps of a finished id; {@code result} null once dropped. */
    public record Remembered(String id, long at, int flag, int costtime, String result, long startTime, long endTime) {
    }

    /** The finished ids still remembered (expired ones forgotten first), oldest first. */
    public synchronized java.util.List<Remembered> finishedNow() {
        expire();
        java.util.List<Remembered> list = new java.util.ArrayList<>(finished.size());
        for (Map.Entry<String, Finished> e : finished.entrySet()) {
            Finished f = e.getValue();
            list.add(new Remembered(e.getKey(), f.at, f.flag, f.costtime, f.result, f.startTime, f.endTime));
        }
        return list;
    }

    public synchronized boolean isRunning(String id) {
        return running.contains(id);
    }

    public synchronized int size() {
        return running.size() + finished.size();
    }

    private void expire() {
        long now = clock.getAsLong();
        Iterator<Map.Entry<String, Finished>> it = finished.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Finished> e = it.next();
            if (now - e.getValue().at < ttlMillis) {
                break;
            }
            resultChars -= chars(e.getValue());
            it.remove();
        }
    }

    private void evictEldest() {
        Iterator<Map.Entry<String, Finished>> it = finished.entrySet().iterator();
        Map.Entry<String, Finished> e = it.next();
        resultChars -= chars(e.getValue());
        it.remove();
    }

    private void dropResultsOverBudget() {
        while (resultChars > maxResultChars && !withResult.isEmpty()) {
            Finished f = finished.get(withResult.pollFirst());
            if (f != null && !f.resultDropped()) {
                resultChars -= chars(f);
                f.result = null;
            }
        }
        if (withResult.size() > 2 * finished.size() + 16) {
            // ids evicted from the map linger here; prune them so the deque stays bounded too
            withResult.removeIf(id -> {
                Finished f = finished.get(id);
                return f == null || f.resultDropped();
            });
        }
    }

    private static long chars(Finished f) {
        return f.resultDropped() ? 0 : f.result.length();
    }
}

package org.elves.agent.task;

import org.elves.agent.LogThrottle;
import org.elves.agent.runner.ProcessIdentity;
import org.elves.agent.runner.WorkerOutcome;
import org.elves.agent.state.AppendLog;
import org.elves.agent.state.InstructJson;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's task memory made durable: {@link TaskMemory} (the bounded index of ids run or
 * running), plus an append-only journal in the state dir ({@value #FILE}) from which a restarted
 * agent rebuilds it, so a re-sent id is never run twice, across restarts too. One JSON line per event:
 * <pre>
 *   {"e":"claim","id":..,"at":epoch ms,"rt":false,"boot":"boot id","ins":{Instruct, async only}}
 *   {"e":"pid","id":..,"pid":1234,"ticks":start time in clock ticks since boot}
 *   {"e":"finish","id":..,"at":epoch ms,"flag":1,"cost":12,"result":"..." (null: dropped over budget)}
 *   {"e":"delivered","id":..}      the scheduler took the async result, or the outbox keeps it on disk
 * </pre>
 * The claim of an async task is flushed to the disk before the task runs (a re-send after a power
 * loss is still refused); nothing else is: a realtime call costs plain appends only. The journal
 * is rewritten (aside, then renamed) from what the memory keeps once it grew to twice its size
 * after the last compaction (and at least {@code minCompactBytes}), and at every start.
 */
public final class TaskLedger implements AutoCloseable {
    public static final String FILE = "tasks.journal";
    static final long MIN_COMPACT_BYTES = 4L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(TaskLedger.class);

    /**
     * A task claimed and not finished: running, or, read back after a restart, maybe orphaned.
     *
     * @param startedAt when it was claimed, epoch ms (its deadline counts from there)
     * @param bootId    the machine's boot when it was claimed
     * @param worker    its worker process, null before it started (or where none is known)
     */
    public record Open(Instruct ins, boolean realtime, long startedAt, String bootId, ProcessIdentity worker) {
        Open withWorker(ProcessIdentity w) {
            return new Open(ins, realtime, startedAt, bootId, w);
        }
    }

    private final String ip;
    private final TaskMemory memory;
    private final long minCompactBytes;
    private final LogThrottle writeErrors = new LogThrottle(60_000);
    private final Map<String, Open> open = new HashMap<>();
    /** finished async results not yet handed to the scheduler or the outbox, by id. */
    private final Map<String, Reinstruct> undelivered = new LinkedHashMap<>();
    /** null when the journal could not be opened: the memory then works as before, in memory only. */
    private AppendLog log;
    private long compactAt;
    private boolean halted;
    private boolean closed;

    private TaskLedger(String ip, TaskMemory memory, long minCompactBytes) {
        this.ip = ip;
        this.memory = memory;
        this.minCompactBytes = minCompactBytes;
    }

    /** Reads the journal at {@code file} into {@code memory}, compacts it, and journals from now on. */
    public static TaskLedger open(String ip, Path file, TaskMemory memory) {
        return open(ip, file, memory, MIN_COMPACT_BYTES);
    }

    static TaskLedger open(String ip, Path file, TaskMemory memory, long minCompactBytes) {
        TaskLedger ledger = new TaskLedger(ip, memory, minCompactBytes);
        long[] bad = new long[1];
        // the lock guards log, as in every other method (replay runs on this thread, under it too)
        synchronized (ledger) {
            try {
                ledger.log = AppendLog.open(file, ledger::replay, bad);
            } catch (IOException | RuntimeException e) {
                LOG.error("agent {}: task journal {} not usable ({}); task ids are remembered in memory only: a"
                        + " restart forgets them", ip, file, e.toString());
                return ledger;
            }
            if (bad[0] > 0) {
                LOG.warn("agent {}: {} unreadable line(s) in {} skipped (a write torn by a crash)", ip, bad[0], file);
            }
            ledger.compact();
        }
        return ledger;
    }

    /** Claims the id for running, journaling a new claim (flushed for async tasks), or says why not. */
    public synchronized TaskMemory.Claim claim(Instruct ins, boolean realtime) {
        TaskMemory.Claim claim = memory.claim(ins.getId());
        if (claim.state() == TaskMemory.State.NEW && !isEmpty(ins.getId())) {
            Open o = new Open(ins, realtime, memory.now(), ProcessIdentity.bootId(), null);
            open.put(ins.getId(), o);
            append(claimRecord(o), !realtime);
        }
        return claim;
    }

    /** The worker of a claimed task runs: journaled so a restarted agent can find it. */
    public synchronized void started(String id, ProcessIdentity worker) {
        Open o = open.get(id);
        if (o == null) {
            return;
        }
        open.put(id, o.withWorker(worker));
        Map<String, Object> r = record("pid", id);
        r.put("pid", worker.pid());
        r.put("ticks", worker.startTicks());
        append(r, false);
    }

    /**
     * Records the answer of a claimed id; an async one is then owed to the scheduler until
     * {@link #delivered}.
     *
     * @return whether the answer is in the journal (not when halted, or the journal failed)
     */
    public synchronized boolean finish(String id, Reinstruct reins) {
        if (isEmpty(id) || !memory.isRunning(id)) {
            return false;
        }
        memory.finish(id, reins);
        Open o = open.remove(id);
        if (o != null && !o.realtime()) {
            undelivered.put(id, reins);
        }
        return append(finishRecord(id, memory.now(), reins.getFlag(), reins.getCosttime(),
                reins.getResult() == null ? "" : reins.getResult(), reins.getStartTime(), reins.getEndTime()), false);
    }

    /** The async result of this id reached the scheduler or the durable outbox. */
    public synchronized void delivered(String id) {
        if (undelivered.remove(id) != null) {
            append(record("delivered", id), false);
        }
    }

    /** The tasks claimed and not finished, e.g. those that ran when the last agent stopped. */
    public synchronized List<Open> openTasks() {
        return new ArrayList<>(open.values());
    }

    /** Finished async results the journal does not know delivered, oldest first. */
    public synchronized List<Reinstruct> undeliveredResults() {
        return new ArrayList<>(undelivered.values());
    }

    /**
     * Writes nothing more, as if the agent had died here: what runs now stays journaled as
     * running, for the next agent on this state dir.
     */
    public synchronized void halt() {
        halted = true;
    }

    public synchronized boolean halted() {
        return halted;
    }

    /** Bytes in the journal now (0 without one). */
    public synchronized long journalBytes() {
        return log == null ? 0 : log.size();
    }

    /** Journals nothing more (results that come later are still delivered, not journaled). */
    @Override
    public synchronized void close() {
        closed = true;
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("agent {}: task journal not closed cleanly: {}", ip, e.toString());
            }
        }
    }

    private boolean append(Map<String, Object> record, boolean force) {
        if (log == null || halted || closed) {
            return false;
        }
        try {
            log.append(record, force);
            if (log.size() >= compactAt) {
                compact();
            }
            return true;
        } catch (IOException | RuntimeException e) {
            long suppressed = writeErrors.permit();
            if (suppressed >= 0) {
                LOG.error("agent {}: task journal {} not written ({}); until it is, a restart may forget task ids{}",
                        ip, log.file(), e.toString(), suppressed > 0 ? " (" + suppressed + " more failures)" : "");
            }
            return false;
        }
    }

    /** Rewrites the journal from what is remembered now: finished ids, owed results, open tasks. */
    private void compact() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (TaskMemory.Remembered f : memory.finishedNow()) {
            if (!undelivered.containsKey(f.id())) {
                records.add(finishRecord(f.id(), f.at(), f.flag(), f.costtime(), f.result(), f.startTime(), f.endTime()));
            }
        }
        long now = memory.now();
        for (Map.Entry<String, Reinstruct> e : undelivered.entrySet()) {
            Reinstruct r = e.getValue();
            // the instruct rides on the claim, as in the live journal
            records.add(claimRecord(new Open(r.getIns(), false, now, ProcessIdentity.bootId(), null)));
            records.add(finishRecord(e.getKey(), now, r.getFlag(), r.getCosttime(), r.getResult(), r.getStartTime(),
                    r.getEndTime()));
        }
        for (Open o : open.values()) {
            records.add(claimRecord(o));
            if (o.worker() != null) {
                Map<String, Object> r = record("pid", o.ins().getId());
                r.put("pid", o.worker().pid());
                r.put("ticks", o.worker().startTicks());
                records.add(r);
            }
        }
        try {
            log.rewrite(records);
        } catch (IOException | RuntimeException e) {
            LOG.error("agent {}: task journal {} not compacted ({}); it goes on growing", ip, log.file(), e.toString());
        }
        compactAt = Math.max(minCompactBytes, 2 * log.size());
    }

    private void replay(Map<?, ?> r) {
        String id = InstructJson.str(r.get("id"));
        String event = InstructJson.str(r.get("e"));
        if (isEmpty(id) || event == null) {
            return;
        }
        switch (event) {
            case "claim": {
                boolean realtime = Boolean.TRUE.equals(r.get("rt"));
                Instruct ins = r.get("ins") instanceof Map ? InstructJson.instruct((Map<?, ?>) r.get("ins"))
                        : new Instruct(id, null, "rt", "NP", null, null, null, 0, null);
                open.put(id, new Open(ins, realtime, InstructJson.longNum(r.get("at")),
                        String.valueOf(r.get("boot")), null));
                memory.restoreRunning(id);
                break;
            }
            case "pid":
                open.computeIfPresent(id, (k, o) -> o.withWorker(
                        new ProcessIdentity(InstructJson.longNum(r.get("pid")), InstructJson.longNum(r.get("ticks")))));
                break;
            case "finish": {
                String result = InstructJson.str(r.get("result"));
                int flag = InstructJson.num(r.get("flag"));
                int cost = InstructJson.num(r.get("cost"));
                long start = InstructJson.longNum(r.get("start"));
                long end = InstructJson.longNum(r.get("end"));
                memory.restoreFinished(id, InstructJson.longNum(r.get("at")), flag, cost, result, start, end);
                Open o = open.remove(id);
                if (o != null && !o.realtime()) {
                    undelivered.put(id, InstructExecutor.reinstructOf(o.ins(),
                            new WorkerOutcome(flag, cost, result == null ? "" : result, start, end)));
                }
                break;
            }
            case "delivered":
                undelivered.remove(id);
                break;
            default:
                // an event of a later version: nothing this one needs
        }
    }

    private static Map<String, Object> claimRecord(Open o) {
        Map<String, Object> r = record("claim", o.ins().getId());
        r.put("at", o.startedAt());
        r.put("rt", o.realtime());
        r.put("boot", o.bootId());
        if (!o.realtime()) {
            // needed to report the result; a realtime result is never reported (and its params,
            // which may be secrets, are not written at all)
            r.put("ins", InstructJson.toJson(o.ins()));
        }
        return r;
    }

    /** {@code start} and {@code end} (the worker's times) are written when known, i.e. not 0. */
    private static Map<String, Object> finishRecord(String id, long at, int flag, int cost, String result, long start,
                                                    long end) {
        Map<String, Object> r = record("finish", id);
        r.put("at", at);
        r.put("flag", flag);
        r.put("cost", cost);
        r.put("result", result);
        if (start > 0) {
            r.put("start", start);
            r.put("end", end);
        }
        return r;
    }

    private static Map<String, Object> record(String event, String id) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("e", event);
        r.put("id", id);
        return r;
    }

    private static boolean isEmpty(String id) {
        return id == null || id.isEmpty();
    }
}

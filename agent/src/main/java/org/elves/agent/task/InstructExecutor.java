package org.elves.agent.task;

import org.elves.agent.runner.AdoptedWorkers;
import org.elves.agent.runner.AppRunner;
import org.elves.agent.runner.Spool;
import org.elves.agent.runner.WorkerCall;
import org.elves.agent.runner.WorkerOutcome;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Turns instructs into worker runs (reference §5.2): sync ones in the caller's thread, async ones
 * acknowledged at once and run on the shared pool. Every id runs at most once, across restarts too
 * ({@link TaskLedger}). Async workers write to spool files, so they can outlive the agent; realtime
 * ones use pipes (measured faster; their caller is gone when the agent dies anyway).
 */
public final class InstructExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(InstructExecutor.class);

    private final AppRunner runner;
    private final AdoptedWorkers adopted;
    private final TaskLedger ledger;
    private final Path spoolDir;
    private final ExecutorService asyncPool;
    private final ResultSink sink;
    /** Async tasks between the start of their worker and the delivery of their result. */
    private int inFlight;

    /**
     * @param spoolDir where async workers write their output
     * @param sink     where async results go; it keeps them until the scheduler took them
     */
    public InstructExecutor(AppRunner runner, AdoptedWorkers adopted, TaskLedger ledger, Path spoolDir,
                            ExecutorService asyncPool, ResultSink sink) {
        this.runner = runner;
        this.adopted = adopted;
        this.ledger = ledger;
        this.spoolDir = spoolDir;
        this.asyncPool = asyncPool;
        this.sink = sink;
    }

    /** Runs a realtime instruct; type and mode are forced to rt/NP as in the original agent. */
    public Reinstruct runSync(Instruct received) {
        if (received == null) {
            return new Reinstruct(null, WorkerOutcome.ERROR, 0, "instruct missing");
        }
        Instruct ins = received.deepCopy();
        ins.setType("rt");
        ins.setMode("NP");
        TaskMemory.Claim claim = ledger.claim(ins, true);
        switch (claim.state()) {
            case RUNNING:
                return new Reinstruct(ins, WorkerOutcome.ERROR, 0, "task " + ins.getId() + " is already running");
            case FINISHED:
                return claim.answer(ins);
            case RESULT_DROPPED:
                return dropped(ins);
            default:
                Reinstruct reins = execute(ins, null);
                ledger.finish(ins.getId(), reins);
                return reins;
        }
    }

    /**
     * Acknowledges each instruct with flag 1 and an empty result, in order, and runs the new ones
     * in the background. A repeated id is acknowledged the same way but not run again: a finished
     * one has its answer delivered again, a running one will deliver when done.
     */
    public List<Reinstruct> acceptAsync(List<Instruct> received) {
        List<Reinstruct> acks = new ArrayList<>(received == null ? 0 : received.size());
        if (received == null) {
            return acks;
        }
        for (Instruct original : received) {
            if (original == null) {
                acks.add(new Reinstruct(null, WorkerOutcome.ERROR, 0, "instruct missing"));
                continue;
            }
            Instruct ins = original.deepCopy();
            acks.add(new Reinstruct(ins, WorkerOutcome.TRUE, 0, ""));
            TaskMemory.Claim claim = ledger.claim(ins, false);
            switch (claim.state()) {
                case NEW:
                    submit(ins);
                    break;
                case FINISHED:
                    submitQuietly(() -> sink.deliver(claim.answer(ins)), ins, "repeated answer not delivered again");
                    break;
                case RESULT_DROPPED:
                    submitQuietly(() -> sink.deliver(dropped(ins)), ins, "repeated answer not delivered again");
                    break;
                default:
                    LOG.debug("task {} is already running; its result will be delivered once", ins.getId());
            }
        }
        return acks;
    }

    /**
     * Runs work the agent itself initiated (a run of an agent-side cron) in the background, once
     * per id like any other; its result goes to the scheduler like those of the center's tasks.
     *
     * @return false when the id was seen already (running or finished): nothing is run
     */
    public boolean runAgentTask(Instruct ins) {
        TaskMemory.Claim claim = ledger.claim(ins, false);
        if (claim.state() != TaskMemory.State.NEW) {
            LOG.warn("agent task {} not run again: it is {}", ins.getId(), claim.state());
            return false;
        }
        submit(ins);
        return true;
    }

    /** Runs a claimed async task on the pool; its result is journaled, then delivered. */
    void submit(Instruct ins) {
        Spool spool = spoolOf(ins);
        try {
            asyncPool.execute(() -> {
                changeInFlight(1);
                try {
                    complete(ins, execute(ins, spool), spool);
                } finally {
                    changeInFlight(-1);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.error("task {} (app {} func {}) not run: async queue full", ins.getId(), ins.getApp(), ins.getFunc());
            // delivered from here: the pool has no room, and the center must not wait for nothing
            complete(ins, new Reinstruct(ins, WorkerOutcome.ERROR, 0,
                    "agent busy: the queue of async instructs is full, task not run"), null);
        }
    }

    /**
     * Journals an async task's result, then delivers it; its spool goes once the result is journaled.
     * An agent that stopped writing (closed leaving its workers) reports nothing: the next one will.
     */
    void complete(Instruct ins, Reinstruct reins, Spool spool) {
        if (ledger.halted()) {
            return;
        }
        if (ledger.finish(ins.getId(), reins) && spool != null) {
            spool.delete();
        }
        sink.deliver(reins);
        ledger.delivered(ins.getId());
    }

    /**
     * Waits (a while at most) until the async tasks that run now have journaled and handed on their
     * results, e.g. after their workers were killed by a closing agent.
     *
     * @return whether they all did
     */
    public synchronized boolean awaitIdle(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (inFlight > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized void changeInFlight(int by) {
        inFlight += by;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /** Where the worker of an async task writes; null (pipes) for an id that is not remembered. */
    Spool spoolOf(Instruct ins) {
        return ins.getId() == null || ins.getId().isEmpty() ? null : Spool.of(spoolDir, ins.getId());
    }

    /** As {@link #complete}, on the pool: the caller (the agent's start) must not block on the network. */
    void completeLater(Instruct ins, Reinstruct reins, Spool spool) {
        submitQuietly(() -> complete(ins, reins, spool), ins, "result left for the next start");
    }

    /** Delivers a result the journal says is still owed to the scheduler, on the pool. */
    void redeliver(Reinstruct reins) {
        submitQuietly(() -> {
            sink.deliver(reins);
            ledger.delivered(reins.getIns().getId());
        }, reins.getIns(), "owed result left for the next start");
    }

    private void submitQuietly(Runnable delivery, Instruct ins, String otherwise) {
        try {
            asyncPool.execute(delivery);
        } catch (RejectedExecutionException e) {
            LOG.warn("task {}: {}, async queue full", ins.getId(), otherwise);
        }
    }

    /**
     * Kills the running workers of these task ids (with their process trees), adopted ones too;
     * each such task then ends as usual, its result flag -1 "app exec cancelled" delivered like any
     * other. Ids not running here (unknown, finished, null) are ignored.
     *
     * @return the ids that were running and were killed
     */
    public List<String> cancel(List<String> ids) {
        List<String> killed = new ArrayList<>();
        if (ids == null) {
            return killed;
        }
        for (String id : ids) {
            if (id != null && !id.isEmpty() && !killed.contains(id) && (runner.cancel(id) || adopted.cancel(id))) {
                killed.add(id);
            }
        }
        if (!killed.isEmpty()) {
            LOG.info("cancelled running task(s) {}", killed);
        }
        return killed;
    }

    private Reinstruct execute(Instruct ins, Spool spool) {
        try {
            WorkerOutcome out = runner.run(new WorkerCall(ins.getApp(), ins.getFunc(), ins.getParam(),
                    Math.max(0, ins.getTimeout()), ins.getProxy()), ins.getId(), spool,
                    worker -> ledger.started(ins.getId(), worker));
            return reinstructOf(ins, out);
        } catch (RuntimeException e) {
            // the runner does not throw by contract; this keeps a bug from wedging the id as running
            LOG.error("task {}: agent error running app {}", ins.getId(), ins.getApp(), e);
            return new Reinstruct(ins, WorkerOutcome.ERROR, 0, "agent error : " + e);
        }
    }

    /** The worker's answer; with the process times, which the Watcher shows as the app's share of the task. */
    static Reinstruct reinstructOf(Instruct ins, WorkerOutcome out) {
        Reinstruct reins = new Reinstruct(ins, out.flag(), out.costMillis(), out.result());
        if (out.timed()) {
            reins.setStartTime(out.startTime());
            reins.setEndTime(out.endTime());
        }
        return reins;
    }

    private static Reinstruct dropped(Instruct ins) {
        return new Reinstruct(ins, WorkerOutcome.ERROR, 0,
                "task " + ins.getId() + " was already executed; its result is no longer kept");
    }
}

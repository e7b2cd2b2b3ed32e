package org.elves.agent.task;

import org.elves.agent.runner.AppRunner;
import org.elves.agent.runner.WorkerCall;
import org.elves.agent.runner.WorkerOutcome;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Turns instructs into worker runs (reference §5.2): sync ones in the caller's thread, async ones
 * acknowledged at once and run on the shared pool. Every id runs at most once ({@link TaskMemory}).
 */
public final class InstructExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(InstructExecutor.class);

    private final AppRunner runner;
    private final TaskMemory memory;
    private final ExecutorService asyncPool;
    private final ResultSink sink;

    public InstructExecutor(AppRunner runner, TaskMemory memory, ExecutorService asyncPool, ResultSink sink) {
        this.runner = runner;
        this.memory = memory;
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
        TaskMemory.Claim claim = memory.claim(ins.getId());
        switch (claim.state()) {
            case RUNNING:
                return new Reinstruct(ins, WorkerOutcome.ERROR, 0, "task " + ins.getId() + " is already running");
            case FINISHED:
                return claim.answer(ins);
            case RESULT_DROPPED:
                return dropped(ins);
            default:
                return execute(ins);
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
            TaskMemory.Claim claim = memory.claim(ins.getId());
            switch (claim.state()) {
                case NEW:
                    submit(ins);
                    break;
                case FINISHED:
                    submitQuietly(() -> sink.taskRepeated(claim.answer(ins)), ins);
                    break;
                case RESULT_DROPPED:
                    submitQuietly(() -> sink.taskRepeated(dropped(ins)), ins);
                    break;
                default:
                    LOG.debug("task {} is already running; its result will be delivered once", ins.getId());
            }
        }
        return acks;
    }

    /**
     * Runs work the agent itself initiated (a run of an agent-side cron) in the background, once
     * per id like any other; its result goes to {@code done}, also when the async queue is full.
     *
     * @return false when the id was seen already (running or finished): nothing is run
     */
    public boolean runAgentTask(Instruct ins, Consumer<Reinstruct> done) {
        TaskMemory.Claim claim = memory.claim(ins.getId());
        if (claim.state() != TaskMemory.State.NEW) {
            LOG.warn("agent task {} not run again: it is {}", ins.getId(), claim.state());
            return false;
        }
        submit(ins, done);
        return true;
    }

    private void submit(Instruct ins) {
        submit(ins, sink::taskFinished);
    }

    private void submit(Instruct ins, Consumer<Reinstruct> done) {
        try {
            asyncPool.execute(() -> done.accept(execute(ins)));
        } catch (RejectedExecutionException e) {
            Reinstruct busy = new Reinstruct(ins, WorkerOutcome.ERROR, 0,
                    "agent busy: the queue of async instructs is full, task not run");
            memory.finish(ins.getId(), busy);
            LOG.error("task {} (app {} func {}) not run: async queue full", ins.getId(), ins.getApp(), ins.getFunc());
            // delivered from here: the pool has no room, and the center must not wait for nothing
            done.accept(busy);
        }
    }

    private void submitQuietly(Runnable delivery, Instruct ins) {
        try {
            asyncPool.execute(delivery);
        } catch (RejectedExecutionException e) {
            LOG.warn("task {}: repeated answer not delivered again, async queue full", ins.getId());
        }
    }

    /**
     * Kills the running workers of these task ids (with their process trees); each such task then
     * ends as usual, its result flag -1 "app exec cancelled" delivered like any other. Ids not
     * running here (unknown, finished, null) are ignored.
     *
     * @return the ids that were running and were killed
     */
    public List<String> cancel(List<String> ids) {
        List<String> killed = new ArrayList<>();
        if (ids == null) {
            return killed;
        }
        for (String id : ids) {
            if (id != null && !id.isEmpty() && !killed.contains(id) && runner.cancel(id)) {
                killed.add(id);
            }
        }
        if (!killed.isEmpty()) {
            LOG.info("cancelled running task(s) {}", killed);
        }
        return killed;
    }

    private Reinstruct execute(Instruct ins) {
        Reinstruct reins;
        try {
            WorkerOutcome out = runner.run(new WorkerCall(ins.getApp(), ins.getFunc(), ins.getParam(),
                    Math.max(0, ins.getTimeout()), ins.getProxy()), ins.getId());
            reins = new Reinstruct(ins, out.flag(), out.costMillis(), out.result());
        } catch (RuntimeException e) {
            // the runner does not throw by contract; this keeps a bug from wedging the id as running
            LOG.error("task {}: agent error running app {}", ins.getId(), ins.getApp(), e);
            reins = new Reinstruct(ins, WorkerOutcome.ERROR, 0, "agent error : " + e);
        }
        memory.finish(ins.getId(), reins);
        return reins;
    }

    private static Reinstruct dropped(Instruct ins) {
        return new Reinstruct(ins, WorkerOutcome.ERROR, 0,
                "task " + ins.getId() + " was already executed; its result is no longer kept");
    }
}

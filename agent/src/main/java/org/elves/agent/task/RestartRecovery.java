package org.elves.agent.task;

import org.elves.agent.runner.AdoptedWorkers;
import org.elves.agent.runner.ProcessIdentity;
import org.elves.agent.runner.Spool;
import org.elves.agent.runner.WorkerOutcome;
import org.elves.agent.state.FileSafeNames;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.FilePaths;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What a starting agent does about the tasks its journal says were running when the last one
 * stopped (crashed, was killed, or stopped leaving its workers), and about results it still owed:
 * <ul>
 *   <li>an owed async result is delivered (again: the center keeps the first of an id);</li>
 *   <li>an async task whose worker still runs (same pid and start time, same boot) is adopted:
 *   watched to its end under its original deadline, then its spooled output reported;</li>
 *   <li>an async task whose worker is gone reports the answer in its spool when there is one
 *   (it finished while the agent was down), else flag -1 {@code [410.3]Agent Lost While Running};</li>
 *   <li>an async task whose pid the agent died before journaling: the process writing to its spool
 *   file is its worker, adopted as above;</li>
 *   <li>an async task that never started (claimed, no spool, same boot) runs now;</li>
 *   <li>a realtime task's worker is killed if it still runs (its caller got an error when the agent
 *   died) and the task is journaled as finished with {@code [410.3]}.</li>
 * </ul>
 * Spool files of no open task are deleted.
 */
public final class RestartRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(RestartRecovery.class);

    private final String ip;
    private final TaskLedger ledger;
    private final InstructExecutor executor;
    private final AdoptedWorkers adopted;
    private final Path spoolDir;
    private final int outputMaxBytes;

    public RestartRecovery(String ip, TaskLedger ledger, InstructExecutor executor, AdoptedWorkers adopted,
                           Path spoolDir, int outputMaxBytes) {
        this.ip = ip;
        this.ledger = ledger;
        this.executor = executor;
        this.adopted = adopted;
        this.spoolDir = spoolDir;
        this.outputMaxBytes = outputMaxBytes;
    }

    /** Call once, before the agent takes instructs (a re-sent id must find its task running). */
    public void run() {
        for (Reinstruct owed : ledger.undeliveredResults()) {
            executor.redeliver(owed);
        }
        Set<String> kept = new HashSet<>();
        int adoptedCount = 0;
        for (TaskLedger.Open task : ledger.openTasks()) {
            Instruct ins = task.ins();
            boolean sameBoot = !task.bootId().isEmpty() && task.bootId().equals(ProcessIdentity.bootId());
            ProcessIdentity worker = sameBoot ? task.worker() : null;
            boolean alive = worker != null && worker.alive();
            long cost = Math.max(0, System.currentTimeMillis() - task.startedAt());
            if (task.realtime()) {
                if (alive) {
                    worker.kill();
                }
                ledger.finish(ins.getId(), new Reinstruct(ins, WorkerOutcome.ERROR, clamp(cost),
                        ErrorCode.AGENT_LOST.text("the agent restarted while the realtime task ran; its caller got an"
                                + " error then" + (alive ? ", and its worker (pid " + worker.pid() + ") was killed now" : ""))));
                continue;
            }
            Spool spool = executor.spoolOf(ins);
            kept.add(ins.getId());
            if (sameBoot && worker == null && spool.exists()) {
                // the agent died between starting the worker and noting its pid: its spool names it
                worker = spool.writer();
                alive = worker != null;
            }
            if (alive) {
                adoptedCount++;
                LOG.info("agent {}: task {} (app {} func {}) still runs as pid {}: adopted", ip, ins.getId(), ins.getApp(),
                        ins.getFunc(), worker.pid());
                adopted.adopt(ins.getId(), worker, spool, task.startedAt(), Math.max(0, ins.getTimeout()),
                        // started when claimed, as far as the journal knows; ended when the poll saw it gone
                        out -> executor.complete(ins, InstructExecutor.reinstructOf(ins,
                                out.ranBetween(task.startedAt(), System.currentTimeMillis())), spool));
            } else if (sameBoot && worker == null && !spool.exists()) {
                LOG.info("agent {}: task {} (app {} func {}) was accepted but never started: running it now", ip,
                        ins.getId(), ins.getApp(), ins.getFunc());
                executor.submit(ins);
            } else if (spool.holdsAnswer(outputMaxBytes)) {
                WorkerOutcome out = spool.adoptedOutcome(outputMaxBytes, cost);
                executor.completeLater(ins, new Reinstruct(ins, out.flag(), out.costMillis(), out.result()), spool);
            } else {
                LOG.warn("agent {}: task {} (app {} func {}) was running when the agent stopped and its worker is gone"
                        + " without a result", ip, ins.getId(), ins.getApp(), ins.getFunc());
                executor.completeLater(ins, new Reinstruct(ins, WorkerOutcome.ERROR, clamp(cost), lost(task, sameBoot)), spool);
            }
        }
        if (adoptedCount > 0) {
            LOG.info("agent {}: {} worker(s) of the last run adopted", ip, adoptedCount);
        }
        sweepSpool(kept);
    }

    private static String lost(TaskLedger.Open task, boolean sameBoot) {
        String worker = task.worker() == null ? "the worker" : "the worker (pid " + task.worker().pid() + ")";
        return ErrorCode.AGENT_LOST.text(sameBoot
                ? "the agent restarted while the task ran; " + worker + " ended without a result"
                : "the machine restarted while the task ran; " + worker + " did not survive it");
    }

    private void sweepSpool(Set<String> kept) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spoolDir)) {
            for (Path f : files) {
                String name = FilePaths.name(f);
                String suffix = name.substring(Math.max(0, name.lastIndexOf('.')));
                if (!kept.contains(FileSafeNames.idOf(name, suffix))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (NoSuchFileException e) {
            // no spool yet
        } catch (IOException e) {
            LOG.warn("agent {}: spool dir {} not cleaned: {}", ip, spoolDir, e.toString());
        }
    }

    private static int clamp(long millis) {
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }
}

package org.elves.agent.report;

import org.elves.agent.cron.CronOutbox;
import org.elves.agent.task.ResultSink;
import org.elves.protocol.thrift.Reinstruct;

/**
 * Where async results go, by who asked for the work. Both end at the scheduler
 * ({@code SchedulerService.dataTransport}), which records the outcome and, in mode P, delivers
 * the result to the app's processor; the agent never calls a processor itself (it would be
 * delivered twice).
 * <ul>
 *   <li>center-initiated (queue and center cron instructs that came over Thrift): sent at once,
 *   retried a few times ({@link SchedulerReporter});</li>
 *   <li>agent-initiated (runs of the agent-side crons the center pushed, AANP/AAP): kept on disk
 *   first and sent until the scheduler takes them, however long the center is down
 *   ({@link #agentTaskFinished}, {@link CronOutbox}).</li>
 * </ul>
 */
public final class ResultDelivery implements ResultSink {
    private final SchedulerReporter scheduler;
    private final CronOutbox outbox;

    public ResultDelivery(SchedulerReporter scheduler, CronOutbox outbox) {
        this.scheduler = scheduler;
        this.outbox = outbox;
    }

    /** A center-initiated task finished: to the scheduler, whatever its mode. */
    @Override
    public void taskFinished(Reinstruct reins) {
        scheduler.report(reins);
    }

    /** The scheduler may have missed the first report of this center-initiated task. */
    @Override
    public void taskRepeated(Reinstruct reins) {
        scheduler.report(reins);
    }

    /**
     * A run of an agent-side cron finished: into the durable outbox, from which the scheduler gets
     * it (in mode P the Scheduler then delivers it to the app's processor), whatever the mode.
     */
    public void agentTaskFinished(Reinstruct reins) {
        outbox.add(reins);
    }
}

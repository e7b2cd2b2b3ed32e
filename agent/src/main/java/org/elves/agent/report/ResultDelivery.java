package org.elves.agent.report;

import org.elves.agent.task.ResultSink;
import org.elves.protocol.thrift.Reinstruct;

/**
 * Where async results go, by who asked for the work:
 * <ul>
 *   <li>center-initiated (queue and center cron instructs that came over Thrift): the scheduler
 *   only. In mode P (CAP) the Scheduler delivers the result to the app's processor and records
 *   the outcome with the task, so the agent does not call the processor itself (it would be
 *   delivered twice);</li>
 *   <li>agent-initiated (the agent's own crons, AANP/AAP): never reported to the center; in mode
 *   P the app's processor from its {@code appcfg.json} gets it ({@link #agentTaskFinished}).</li>
 * </ul>
 */
public final class ResultDelivery implements ResultSink {
    private final SchedulerReporter scheduler;
    private final ProcessorNotifier processor;

    public ResultDelivery(SchedulerReporter scheduler, ProcessorNotifier processor) {
        this.scheduler = scheduler;
        this.processor = processor;
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

    /** An agent-initiated task (an agent cron) finished: mode P goes to the app's processor, nothing to the center. */
    public void agentTaskFinished(Reinstruct reins) {
        processor.notify(reins);
    }
}

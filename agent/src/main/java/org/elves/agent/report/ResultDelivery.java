package org.elves.agent.report;

import org.elves.agent.task.ResultSink;
import org.elves.protocol.thrift.Reinstruct;

/** Async results go to the scheduler, and in mode P also to the app's processor. */
public final class ResultDelivery implements ResultSink {
    private final SchedulerReporter scheduler;
    private final ProcessorNotifier processor;

    public ResultDelivery(SchedulerReporter scheduler, ProcessorNotifier processor) {
        this.scheduler = scheduler;
        this.processor = processor;
    }

    @Override
    public void taskFinished(Reinstruct reins) {
        scheduler.report(reins);
        processor.notify(reins);
    }

    /** The processor already had this result the first time; only the scheduler may have missed it. */
    @Override
    public void taskRepeated(Reinstruct reins) {
        scheduler.report(reins);
    }
}

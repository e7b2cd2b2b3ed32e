package org.elves.agent.report;

import org.apache.thrift.TException;
import org.elves.agent.config.Endpoint;
import org.elves.agent.thrift.ClientPool;
import org.elves.protocol.thrift.Reinstruct;
import org.elves.protocol.thrift.SchedulerService;

import java.util.List;

/**
 * One attempt to hand a result to the scheduler with {@code SchedulerService.dataTransport}: every
 * configured scheduler in order until one answers {@value #TAKEN}. Retrying is the {@link ResultOutbox}'s job.
 */
public final class SchedulerSender implements ResultOutbox.Sender {
    /** The scheduler's answer once it recorded (forwarded) the result. */
    static final String TAKEN = "success";

    private final List<Endpoint> schedulers;
    private final int timeoutMillis;
    private final ClientPool pool;

    public SchedulerSender(List<Endpoint> schedulers, int timeoutMillis, ClientPool pool) {
        this.schedulers = List.copyOf(schedulers);
        this.timeoutMillis = timeoutMillis;
        this.pool = pool;
    }

    /** @throws TException the last scheduler's failure when none took the result */
    @Override
    public void send(Reinstruct reins) throws TException {
        TException last = null;
        for (Endpoint scheduler : schedulers) {
            try {
                String answer = pool.call(scheduler, timeoutMillis, p -> new SchedulerService.Client(p).dataTransport(reins));
                if (TAKEN.equals(answer)) {
                    return;
                }
                // anything else, e.g. an older center's error text, means not recorded: try again later
                last = new TException("scheduler " + scheduler + " answered " + answer);
            } catch (TException e) {
                last = e;
            }
        }
        throw last;
    }
}

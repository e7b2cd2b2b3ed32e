package org.elves.agent.report;

import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.elves.agent.config.Endpoint;
import org.elves.agent.output.LiveOutput;
import org.elves.agent.thrift.ClientPool;
import org.elves.protocol.thrift.OutputChunk;
import org.elves.protocol.thrift.SchedulerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streams output chunks with {@code SchedulerService.outputTransport} to the first configured
 * scheduler that takes them, on the connections results use. A scheduler that does not know the
 * call (an original one answers UNKNOWN_METHOD) is not asked again: its agents' tasks run as
 * before, only without live output.
 */
public final class SchedulerOutputSender implements LiveOutput.Sender {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerOutputSender.class);

    private final List<Endpoint> schedulers;
    private final int timeoutMillis;
    private final ClientPool pool;
    private final Set<Endpoint> withoutOutput = ConcurrentHashMap.newKeySet();

    public SchedulerOutputSender(List<Endpoint> schedulers, int timeoutMillis, ClientPool pool) {
        this.schedulers = List.copyOf(schedulers);
        this.timeoutMillis = timeoutMillis;
        this.pool = pool;
    }

    @Override
    public void send(List<OutputChunk> chunks) throws TException {
        TException last = null;
        for (Endpoint scheduler : schedulers) {
            if (withoutOutput.contains(scheduler)) {
                continue;
            }
            try {
                String answer = pool.call(scheduler, timeoutMillis,
                        p -> new SchedulerService.Client(p).outputTransport(chunks));
                if (SchedulerSender.TAKEN.equals(answer)) {
                    return;
                }
                last = new TException("scheduler " + scheduler + " answered " + answer);
            } catch (TApplicationException e) {
                if (e.getType() != TApplicationException.UNKNOWN_METHOD) {
                    last = e;
                } else if (withoutOutput.add(scheduler)) {
                    LOG.info("scheduler {} does not take live output (outputTransport unknown there); output is"
                            + " no longer streamed to it", scheduler);
                }
            } catch (TException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
    }

    @Override
    public boolean accepting() {
        return withoutOutput.size() < schedulers.size();
    }
}

package org.elves.center.scheduler;

import org.apache.camel.ProducerTemplate;
import org.apache.thrift.TApplicationException;
import org.elves.center.rpc.WatchTap;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.OutputChunk;
import org.elves.protocol.thrift.Reinstruct;
import org.elves.protocol.thrift.SchedulerService;

import java.util.List;

/**
 * The Thrift face of the Scheduler (port 10101): agents report async results here and each is
 * handed to route scheduler.agent-result; the live output of their running workers goes to the
 * Watcher through the {@link WatchTap}.
 */
public class SchedulerReceiver implements SchedulerService.Iface {
    static final String ROUTE = "direct:scheduler.agent-result";
    static final String SUCCESS = "success";
    private final ProducerTemplate producer;
    private final WatchTap watchTap;

    public SchedulerReceiver(ProducerTemplate producer, WatchTap watchTap) {
        this.producer = producer;
        this.watchTap = watchTap;
    }

    @Override
    public String aliveCheck() {
        return SUCCESS;
    }

    /**
     * Returns "success" once the result is forwarded (or deliberately dropped: unknown type, a
     * repeat). A result that could not be forwarded fails the call, so the agent reports it again
     * later instead of it being lost.
     */
    @Override
    public String dataTransport(Reinstruct reins) throws TApplicationException {
        try {
            producer.sendBody(ROUTE, reins);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new TApplicationException(TApplicationException.INTERNAL_ERROR,
                    "result of task " + idOf(reins) + " not forwarded: " + cause.getMessage());
        }
        return SUCCESS;
    }

    /**
     * Hands each chunk of live output to the Watcher. Output is best effort (the tap drops copies
     * when its buffer is full), so this always answers "success": a failure here must never make
     * the agent resend or stop, and a bad chunk is skipped, not a reason to refuse the others.
     */
    @Override
    public String outputTransport(List<OutputChunk> chunks) {
        if (chunks == null) {
            return SUCCESS;
        }
        for (OutputChunk chunk : chunks) {
            if (chunk != null) {
                watchTap.output(chunk.getId(), chunk.getSeq(), chunk.getStream(), chunk.getData(), chunk.getAt(),
                        chunk.isSetDropped() ? chunk.getDropped() : 0);
            }
        }
        return SUCCESS;
    }

    /**
     * Not served, as in the original Java scheduler (reference §5.1): realtime tasks go through
     * the OpenAPI /api/v2/rt/exec, which checks the caller's signature; a Thrift relay would
     * bypass that check.
     */
    @Override
    public Reinstruct instructionTransit(Instruct ins) throws TApplicationException {
        throw new TApplicationException(TApplicationException.UNKNOWN_METHOD,
                "instructionTransit is not served by this scheduler: run realtime tasks through /api/v2/rt/exec");
    }

    private static String idOf(Reinstruct reins) {
        return reins == null || reins.getIns() == null ? "(none)" : reins.getIns().getId();
    }
}

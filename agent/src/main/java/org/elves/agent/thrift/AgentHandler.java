package org.elves.agent.thrift;

import org.apache.thrift.TApplicationException;
import org.elves.agent.cron.AgentCrons;
import org.elves.agent.cron.CronList;
import org.elves.agent.task.InstructExecutor;
import org.elves.protocol.thrift.AgentService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import java.util.List;

/** The Thrift face of an agent; the work is the executor's. */
public final class AgentHandler implements AgentService.Iface {
    public static final String ALIVE = "success";

    private final InstructExecutor executor;
    private final AgentCrons crons;
    private final String ip;

    /** @param crons the agent-side crons; null when they are off (cronSync then unknown, as in an original agent) */
    public AgentHandler(InstructExecutor executor, AgentCrons crons, String ip) {
        this.executor = executor;
        this.crons = crons;
        this.ip = ip;
    }

    @Override
    public String aliveCheck() {
        return ALIVE;
    }

    @Override
    public List<Reinstruct> instructionInvokeAsync(List<Instruct> insList) {
        return executor.acceptAsync(insList);
    }

    @Override
    public Reinstruct instructionInvokeSync(Instruct ins) {
        return executor.runSync(ins);
    }

    @Override
    public List<String> instructionCancel(List<String> ids) {
        return executor.cancel(ids);
    }

    /**
     * Replaces the agent-side crons with this list; answers the version now held. Entries that
     * cannot run are skipped (and logged); a document that is not a cron list changes nothing and
     * fails with INTERNAL_ERROR naming the problem.
     */
    @Override
    public String cronSync(String list) throws TApplicationException {
        if (crons == null) {
            throw new TApplicationException(TApplicationException.UNKNOWN_METHOD,
                    "cronSync not supported: agent-side crons are off on this agent (agentcron.enabled)");
        }
        CronList parsed;
        try {
            parsed = CronList.parse(list == null ? "" : list, ip);
        } catch (IllegalArgumentException e) {
            throw new TApplicationException(TApplicationException.INTERNAL_ERROR, "cronSync: " + e.getMessage());
        }
        try {
            return crons.sync(parsed);
        } catch (IllegalStateException e) {
            throw new TApplicationException(TApplicationException.INTERNAL_ERROR, "cronSync: " + e.getMessage());
        }
    }
}

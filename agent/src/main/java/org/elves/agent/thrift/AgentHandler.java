package org.elves.agent.thrift;

import org.elves.agent.task.InstructExecutor;
import org.elves.protocol.thrift.AgentService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import java.util.List;

/** The Thrift face of an agent; the work is the executor's. */
public final class AgentHandler implements AgentService.Iface {
    public static final String ALIVE = "success";

    private final InstructExecutor executor;

    public AgentHandler(InstructExecutor executor) {
        this.executor = executor;
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

    @Override
    public String cronSync(String crons) throws org.apache.thrift.TException {
        // agent-side crons arrive with issue 5's agent part; until then: an agent without them
        throw new org.apache.thrift.TApplicationException(org.apache.thrift.TApplicationException.UNKNOWN_METHOD,
                "cronSync not supported");
    }
}

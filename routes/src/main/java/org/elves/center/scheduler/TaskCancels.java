package org.elves.center.scheduler;

import org.apache.camel.Exchange;
import org.elves.center.contract.CancelJobs;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.thrift.Instruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * A stopped queue's running tasks killed on their agent (cancelJobs cast {ip, ids}, route
 * scheduler.cancelJobs) through AgentService.instructionCancel. An original agent has no such
 * method: its tasks run to their end. Nobody waits for the answer, so every outcome is only logged.
 */
public class TaskCancels {
    private static final Logger LOG = LoggerFactory.getLogger(TaskCancels.class);
    /** Exchange property: the task ids of a cancelJobs cast. */
    public static final String CANCEL_IDS = "ElvesCancelIds";

    private final AgentClient agents;
    private final ElvesConfig config;
    private final OnlineCheck online;

    public TaskCancels(AgentClient agents, ElvesConfig config, OnlineCheck online) {
        this.agents = agents;
        this.config = config;
        this.online = online;
    }

    /**
     * Validates a cancelJobs body {ip, ids:[...]} and keeps its agent and ids on the exchange; the
     * body returned is the Heartbeat query for the agent's port, as for a task.
     *
     * @throws IllegalArgumentException when the body names no agent or no id (logged and dropped)
     */
    public Map<String, Object> acceptCancel(Map<String, Object> body, Exchange exchange) {
        CancelJobs cancel = CastBodies.read(CancelJobs::fromMap, body);
        exchange.setProperty(CANCEL_IDS, cancel.ids());
        return online.queryAgent(cancel.ip(), exchange);
    }

    /** Asks the agent to kill the tasks; every outcome, failures included, is only logged. */
    @SuppressWarnings("unchecked")
    public void cancel(Exchange exchange) {
        cancel(exchange.getProperty(OnlineCheck.INSTRUCT, Instruct.class),
                exchange.getProperty(CANCEL_IDS, List.class), exchange.getProperty(OnlineCheck.ONLINE, Map.class));
    }

    /** The ids the agent killed; null when it cannot cancel or could not be asked. */
    List<String> cancel(Instruct target, List<String> ids, Map<String, Object> stat) {
        try {
            int port = online.agentPort(target, stat);
            int timeoutMs = config.requireInt("elves.scheduler.agent.ack-timeout-ms");
            List<String> killed = agents.cancel(target.getIp(), port, ids, timeoutMs);
            if (killed == null) {
                LOG.info("agent {} cannot cancel tasks (no instructionCancel: an original agent); {} run to their end",
                        target.getIp(), ids);
            } else {
                LOG.info("agent {} killed {} of the tasks {} asked to cancel", target.getIp(), killed, ids);
            }
            return killed;
        } catch (ElvesException e) {
            online.failed(target, e);
            LOG.warn("tasks {} not cancelled on {}: {}", ids, target.getIp(), e.getMessage());
            return null;
        }
    }
}

package org.elves.center.scheduler;

import org.apache.camel.Exchange;
import org.elves.config.ElvesConfig;
import org.elves.center.common.JobParams;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.elves.center.common.JobParams.required;
import static org.elves.center.common.JobParams.text;

/**
 * The Scheduler's async task (queue and center cron, modes CANP/CAP; reference §4.2.2 step 4):
 * validate the asyncJob cast, check the agent like a realtime task ({@link OnlineCheck}), hand it
 * to the agent, which acknowledges at once and reports the result later through
 * SchedulerService.dataTransport. When the task cannot be handed over, its failure result is
 * what goes to Queue or Cron instead, so no task waits forever (route scheduler-async-job).
 */
public class AsyncJobs {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncJobs.class);
    /** Exchange property: the task ids of a cancelJobs cast. */
    public static final String CANCEL_IDS = "ElvesCancelIds";
    /** Exchange property: "queue" or "cron", where the task's result goes. */
    public static final String TYPE = "ElvesTaskType";
    private static final List<String> TYPES = List.of("queue", "cron");

    private final AgentClient agents;
    private final ElvesConfig config;
    private final OnlineCheck online;

    public AsyncJobs(AgentClient agents, ElvesConfig config, OnlineCheck online) {
        this.agents = agents;
        this.config = config;
        this.online = online;
    }

    /**
     * Validates an asyncJob body and keeps its Instruct and type on the exchange; the body
     * returned is the Heartbeat query (see {@link OnlineCheck#query}).
     *
     * @throws IllegalArgumentException with the reason when the body is not a task (the route
     *                                  logs and drops it: a cast has nobody to answer)
     */
    public Map<String, Object> accept(Map<String, Object> body, Exchange exchange) {
        Instruct ins;
        try {
            ins = instruct(body);
        } catch (ElvesException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        exchange.setProperty(TYPE, ins.getType());
        return online.query(ins, exchange);
    }

    /**
     * The Instruct an asyncJob body describes: {id, ip, type, mode, app, func, param, timeout, proxy}.
     *
     * @throws ElvesException          naming the field that is missing or wrong (with its 403.x code)
     * @throws IllegalArgumentException for a missing id or a wrong type, which have no code
     */
    Instruct instruct(Map<String, Object> body) {
        Instruct ins = new Instruct();
        // the caller's id: Queue and Cron know their tasks by it
        ins.setId(text(body.get("id")));
        if (ins.getId().isEmpty()) {
            throw new IllegalArgumentException("id is required");
        }
        ins.setIp(required(body, "ip", ErrorCode.PARAM_IP));
        String type = text(body.get("type")).toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            // the reference has no code for it: only Queue and Cron send asyncJob
            throw new IllegalArgumentException("type must be queue or cron, got '" + text(body.get("type")) + "'");
        }
        ins.setType(type);
        ins.setMode(JobParams.mode(body.get("mode")));
        ins.setApp(required(body, "app", ErrorCode.PARAM_APP));
        ins.setFunc(required(body, "func", ErrorCode.PARAM_FUNC));
        ins.setParam(text(body.get("param")));
        ins.setTimeout(JobParams.timeoutSeconds(body.get("timeout"), config.getInt("elves.timeout", 90)));
        ins.setProxy(text(body.get("proxy")));
        return ins;
    }

    /** Hands the task to its agent: null once the agent took it, else the failure result to forward. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> dispatch(Exchange exchange) {
        return send(exchange.getProperty(OnlineCheck.INSTRUCT, Instruct.class),
                exchange.getProperty(OnlineCheck.ONLINE, Map.class));
    }

    Map<String, Object> send(Instruct ins, Map<String, Object> stat) {
        try {
            int port = online.agentPort(ins, stat);
            int ackTimeoutMs = config.getInt("elves.scheduler.agent.ack-timeout-ms", 5000);
            requireAccepted(ins, agents.invokeAsync(ins.getIp(), port, List.of(ins), ackTimeoutMs));
            return null;
        } catch (ElvesException e) {
            online.failed(ins, e);
            return TaskResults.failed(ins.getId(), e.getMessage());
        }
    }

    /**
     * Validates a cancelJobs body {ip, ids:[...]} and keeps its agent and ids on the exchange; the
     * body returned is the Heartbeat query for the agent's port, as for a task.
     *
     * @throws IllegalArgumentException when the body names no agent or no id (logged and dropped)
     */
    public Map<String, Object> acceptCancel(Map<String, Object> body, Exchange exchange) {
        String ip = text(body.get("ip"));
        List<String> ids = new ArrayList<>();
        if (body.get("ids") instanceof List<?> list) {
            list.stream().map(JobParams::text).filter(id -> !id.isEmpty()).forEach(ids::add);
        }
        if (ip.isEmpty() || ids.isEmpty()) {
            throw new IllegalArgumentException("cancelJobs needs an ip and task ids, got " + body);
        }
        exchange.setProperty(CANCEL_IDS, ids);
        return online.queryAgent(ip, exchange);
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
            int timeoutMs = config.getInt("elves.scheduler.agent.ack-timeout-ms", 5000);
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

    /** The agent acknowledges each instruct with flag 1; anything else is a refusal. */
    private static void requireAccepted(Instruct ins, List<Reinstruct> acks) {
        if (acks == null || acks.size() != 1) {
            throw new ElvesException(ErrorCode.SEND_JOB_FAIL, ins.getIp() + " acknowledged "
                    + (acks == null ? 0 : acks.size()) + " instructs for 1 sent");
        }
        Reinstruct ack = acks.get(0);
        if (ack.getFlag() != 1) {
            throw new ElvesException(ErrorCode.SEND_JOB_FAIL, ins.getIp() + " refused the task: " + ack.getResult());
        }
    }
}

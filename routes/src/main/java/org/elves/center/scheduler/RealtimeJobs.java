package org.elves.center.scheduler;

import org.apache.camel.Exchange;
import org.elves.config.ElvesConfig;
import org.elves.center.common.JobParams;
import org.elves.center.common.TaskEvents;
import org.elves.center.contract.TaskResult;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.TaskIds;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import java.util.Map;

import static org.elves.center.common.JobParams.required;
import static org.elves.center.common.JobParams.text;

/**
 * The Scheduler's realtime task (mode CSNP): validate the syncJob, check with Heartbeat that the
 * agent is online and has the app ({@link OnlineCheck}), run it on the agent, answer in the
 * reference's shape and leave a task record for the store (route scheduler-sync-job).
 */
public class RealtimeJobs {
    public static final String RECORD = "ElvesTaskRecord";
    private static final java.util.regex.Pattern TASK_ID = java.util.regex.Pattern.compile("[0-9A-F]{16}");

    private final AgentClient agents;
    private final ElvesConfig config;
    private final TaskRecords records;
    private final OnlineCheck online;
    private final TaskEvents events;

    public RealtimeJobs(AgentClient agents, ElvesConfig config, TaskRecords records, OnlineCheck online) {
        this(agents, config, records, online, TaskEvents.none());
    }

    public RealtimeJobs(AgentClient agents, ElvesConfig config, TaskRecords records, OnlineCheck online, TaskEvents events) {
        this.agents = agents;
        this.config = config;
        this.records = records;
        this.online = online;
        this.events = events;
    }

    /**
     * Validates a syncJob body and keeps its Instruct on the exchange; the body returned is the
     * Heartbeat query, asked only when {@link OnlineCheck#ONLINE} stays unset.
     */
    public Map<String, Object> accept(Map<String, Object> body, Exchange exchange) {
        Instruct ins = new Instruct();
        // the OpenAPI names the task (a client may have chosen the id, to follow its output)
        ins.setId(body.get("id") instanceof String id && TASK_ID.matcher(id).matches() ? id : TaskIds.next());
        ins.setIp(required(body, "ip", ErrorCode.PARAM_IP));
        ins.setType("rt");
        ins.setMode("NP");
        ins.setApp(required(body, "app", ErrorCode.PARAM_APP));
        ins.setFunc(required(body, "func", ErrorCode.PARAM_FUNC));
        ins.setParam(text(body.get("param")));
        ins.setTimeout(JobParams.timeoutSeconds(body.get("timeout"), config.requireInt("elves.timeout")));
        ins.setProxy(text(body.get("proxy")));
        return online.query(ins, exchange);
    }

    /**
     * Runs the instruct when Heartbeat's answer allows it. Never throws for a task that was
     * accepted: every outcome is answered and recorded.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> dispatch(Exchange exchange) {
        Instruct ins = exchange.getProperty(OnlineCheck.INSTRUCT, Instruct.class);
        Map<String, Object> stat = exchange.getProperty(OnlineCheck.ONLINE, Map.class);
        long created = System.currentTimeMillis();
        Map<String, Object> answer;
        Reinstruct done = null;
        try {
            int port = online.agentPort(ins, stat);
            events.instruct("sent", ins);
            done = agents.invokeSync(ins.getIp(), port, ins, readTimeoutMs(ins));
            answer = TaskResults.delivered(ins.getId(), done);
            events.finished(done, created);
        } catch (ElvesException e) {
            online.failed(ins, e);
            events.failed(ins.getId(), e.getMessage(), e.code() == ErrorCode.AGENT_ANSWER_TIMEOUT);
            answer = TaskResult.failed(ins.getId(), e.getMessage()).toMap();
        }
        exchange.setProperty(RECORD, records.realtime(ins, done, answer, created, System.currentTimeMillis()));
        return answer;
    }

    private int readTimeoutMs(Instruct ins) {
        if (ins.getTimeout() <= 0) {
            return 0;
        }
        return ins.getTimeout() * 1000 + config.requireInt("elves.scheduler.agent.answer-margin-ms");
    }
}

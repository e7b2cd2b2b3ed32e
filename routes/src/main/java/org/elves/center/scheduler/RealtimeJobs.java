package org.elves.center.scheduler;

import org.apache.camel.Exchange;
import org.elves.center.common.Replies;
import org.elves.center.common.RpcCodec;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.TaskIds;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Scheduler's realtime task (mode CSNP): validate the syncJob, check with Heartbeat that the
 * agent is online and has the app, run it on the agent, answer in the reference's shape and leave
 * a task record for the store (route scheduler-sync-job).
 */
public class RealtimeJobs {
    public static final String INSTRUCT = "ElvesInstruct";
    public static final String RECORD = "ElvesTaskRecord";
    /** Exchange property: Heartbeat's answer about the agent, once known (cached or asked). */
    public static final String ONLINE = "ElvesOnline";
    private static final Map<String, Object> NOT_CHECKED = Map.of("flag", "true", "unchecked", "true");

    private final AgentClient agents;
    private final ElvesConfig config;
    private final TaskRecords records;
    private final OnlineCache online;

    public RealtimeJobs(AgentClient agents, ElvesConfig config, TaskRecords records, OnlineCache online) {
        this.agents = agents;
        this.config = config;
        this.records = records;
        this.online = online;
    }

    /**
     * Validates a syncJob body and keeps its Instruct on the exchange. When Heartbeat must still be
     * asked about the agent (no fresh answer, check switched on), {@link #ONLINE} stays unset and
     * the body returned is that query.
     */
    public Map<String, Object> accept(Map<String, Object> body, Exchange exchange) {
        Instruct ins = new Instruct();
        ins.setId(TaskIds.next());
        ins.setIp(required(body, "ip", ErrorCode.PARAM_IP));
        ins.setType("rt");
        ins.setMode("NP");
        ins.setApp(required(body, "app", ErrorCode.PARAM_APP));
        ins.setFunc(required(body, "func", ErrorCode.PARAM_FUNC));
        ins.setParam(text(body.get("param")));
        ins.setTimeout(timeout(body.get("timeout")));
        ins.setProxy(text(body.get("proxy")));
        exchange.setProperty(INSTRUCT, ins);
        if (!config.getBoolean("elves.scheduler.check-online", true)) {
            exchange.setProperty(ONLINE, NOT_CHECKED);
        } else {
            Map<String, Object> known = online.fresh(ins.getIp());
            if (known != null) {
                exchange.setProperty(ONLINE, known);
            }
        }
        exchange.setProperty(RpcCodec.FROM, "scheduler");
        exchange.setProperty(RpcCodec.TO, "heartbeat");
        exchange.setProperty(RpcCodec.FUNC, "getStatByIp");
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("ip", ins.getIp());
        return query;
    }

    /** Keeps Heartbeat's answer for this task, and for the next ones while it is fresh. */
    public void heartbeatAnswered(Map<String, Object> answer, Exchange exchange) {
        Instruct ins = exchange.getProperty(INSTRUCT, Instruct.class);
        exchange.setProperty(ONLINE, answer);
        if (isOnline(answer)) {
            online.remember(ins.getIp(), answer);
        }
    }

    /**
     * Runs the instruct when Heartbeat's answer allows it. Never throws for a task that was
     * accepted: every outcome is answered and recorded.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> dispatch(Exchange exchange) {
        Instruct ins = exchange.getProperty(INSTRUCT, Instruct.class);
        Map<String, Object> online = exchange.getProperty(ONLINE, Map.class);
        long created = System.currentTimeMillis();
        Map<String, Object> answer;
        Reinstruct done = null;
        try {
            int port = checkOnline(ins, online);
            done = agents.invokeSync(ins.getIp(), port, ins, readTimeoutMs(ins));
            answer = Replies.ok(result(ins.getId(), done));
        } catch (ElvesException e) {
            if (e.code() == ErrorCode.SEND_JOB_FAIL || e.code() == ErrorCode.AGENT_ANSWER_TIMEOUT) {
                // the agent may have gone since Heartbeat last answered: ask again next time
                this.online.forget(ins.getIp());
            }
            answer = Replies.failure(e.getMessage());
            @SuppressWarnings("unchecked")
            Map<String, Object> withId = answer;
            withId.put("result", Map.of("id", ins.getId()));
        }
        exchange.setProperty(RECORD, records.realtime(ins, done, answer, created, System.currentTimeMillis()));
        return answer;
    }

    @SuppressWarnings("unchecked")
    private int checkOnline(Instruct ins, Map<String, Object> online) {
        int defaultPort = config.getInt("elves.agent.port", 11101);
        if (online == NOT_CHECKED) {
            return defaultPort;
        }
        if (!Replies.isOk(online)) {
            throw new ElvesException(codeOf(online), detailOf(online));
        }
        Map<String, Object> stat = (Map<String, Object>) online.get("result");
        if (!"true".equals(String.valueOf(stat.get("online")))) {
            throw new ElvesException(ErrorCode.AGENT_OFFLINE,
                    ins.getIp() + " last sent a heartbeat at " + stat.get("last_hb_time"));
        }
        Object apps = stat.get("apps");
        if (ins.getProxy().isEmpty() && apps instanceof Map<?, ?> appMap && !appMap.containsKey(ins.getApp())) {
            throw new ElvesException(ErrorCode.APP_NOT_FOUND, ins.getApp() + " is not installed on " + ins.getIp());
        }
        Object port = stat.get("port");
        int reported = port instanceof Number n ? n.intValue() : 0;
        return reported > 0 ? reported : defaultPort;
    }

    @SuppressWarnings("unchecked")
    private static boolean isOnline(Map<String, Object> answer) {
        return Replies.isOk(answer) && answer.get("result") instanceof Map<?, ?> stat
                && "true".equals(String.valueOf(((Map<String, Object>) stat).get("online")));
    }

    private int readTimeoutMs(Instruct ins) {
        if (ins.getTimeout() <= 0) {
            return 0;
        }
        return ins.getTimeout() * 1000 + config.getInt("elves.scheduler.agent.answer-margin-ms", 5000);
    }

    private int timeout(Object value) {
        String text = text(value);
        if (text.isEmpty()) {
            return config.getInt("elves.timeout", 90);
        }
        try {
            int t = Integer.parseInt(text);
            if (t < 0) {
                throw new NumberFormatException();
            }
            return t;
        } catch (NumberFormatException e) {
            throw new ElvesException(ErrorCode.PARAM_TIMEOUT, "timeout must be whole seconds, got " + text);
        }
    }

    static Map<String, Object> result(String id, Reinstruct done) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", id);
        result.put("worker_flag", String.valueOf(done.getFlag()));
        result.put("worker_message", done.getResult() == null ? "" : done.getResult());
        result.put("worker_costtime", String.valueOf(done.getCosttime()));
        return result;
    }

    private static ErrorCode codeOf(Map<String, Object> reply) {
        ErrorCode code = ErrorCode.ofText(String.valueOf(reply.get("error")));
        return code == null ? ErrorCode.INTERNAL : code;
    }

    private static String detailOf(Map<String, Object> reply) {
        String error = String.valueOf(reply.get("error"));
        int colon = error.indexOf(": ");
        return colon < 0 ? "" : error.substring(colon + 2);
    }

    private static String required(Map<String, Object> body, String key, ErrorCode code) {
        String value = text(body.get(key));
        if (value.isEmpty()) {
            throw new ElvesException(code, key + " is required");
        }
        return value;
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value).trim();
    }
}

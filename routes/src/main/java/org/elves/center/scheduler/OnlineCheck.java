package org.elves.center.scheduler;

import org.apache.camel.Exchange;
import org.elves.center.common.Replies;
import org.elves.center.common.RpcCodec;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.Instruct;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether an agent may be given a task, shared by realtime (syncJob) and async (asyncJob) tasks:
 * Heartbeat is asked over rpc.call (by the route) unless a fresh answer is cached or the check is
 * switched off; the answer gives the agent's Thrift port, or the code of why it cannot run the task.
 */
public class OnlineCheck {
    /** Exchange property: the task's Instruct. */
    public static final String INSTRUCT = "ElvesInstruct";
    /** Exchange property: Heartbeat's answer about the agent, once known (cached or asked). */
    public static final String ONLINE = "ElvesOnline";
    static final Map<String, Object> NOT_CHECKED = Map.of("flag", "true", "unchecked", "true");

    private final ElvesConfig config;
    private final OnlineCache cache;

    public OnlineCheck(ElvesConfig config, OnlineCache cache) {
        this.config = config;
        this.cache = cache;
    }

    /**
     * Keeps the instruct on the exchange and returns the Heartbeat query for its agent. When no
     * question is needed (fresh answer, check off) {@link #ONLINE} is set and the route skips it.
     */
    public Map<String, Object> query(Instruct ins, Exchange exchange) {
        exchange.setProperty(INSTRUCT, ins);
        Map<String, Object> known = known(ins.getIp());
        if (known != null) {
            exchange.setProperty(ONLINE, known);
        }
        exchange.setProperty(RpcCodec.FROM, "scheduler");
        exchange.setProperty(RpcCodec.TO, "heartbeat");
        exchange.setProperty(RpcCodec.FUNC, "getStatByIp");
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("ip", ins.getIp());
        return query;
    }

    /** As {@link #query}, for a call to the agent itself rather than one of its apps (cancel, cron list). */
    public Map<String, Object> queryAgent(String ip, Exchange exchange) {
        Instruct target = new Instruct();
        target.setId("");
        target.setIp(ip);
        target.setProxy("");
        return query(target, exchange);
    }

    /** Keeps Heartbeat's answer for this task, and for the next ones while it is fresh. */
    public void heartbeatAnswered(Map<String, Object> answer, Exchange exchange) {
        Instruct ins = exchange.getProperty(INSTRUCT, Instruct.class);
        exchange.setProperty(ONLINE, answer);
        if (isOnline(answer)) {
            cache.remember(ins.getIp(), answer);
        }
    }

    /** An answer that makes asking Heartbeat unnecessary, or null. */
    Map<String, Object> known(String ip) {
        if (!config.getBoolean("elves.scheduler.check-online", true)) {
            return NOT_CHECKED;
        }
        return cache.fresh(ip);
    }

    /**
     * The agent's Thrift port when Heartbeat's answer lets it run the instruct.
     *
     * @throws ElvesException 414.1 unknown agent, 414.2 offline, 413.2 app not installed, or the
     *                        code Heartbeat answered with
     */
    @SuppressWarnings("unchecked")
    public int agentPort(Instruct ins, Map<String, Object> online) {
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
        // an instruct without an app only addresses the agent (cancelJobs)
        if (ins.isSetApp() && (ins.getProxy() == null || ins.getProxy().isEmpty())
                && apps instanceof Map<?, ?> appMap && !appMap.containsKey(ins.getApp())) {
            throw new ElvesException(ErrorCode.APP_NOT_FOUND, ins.getApp() + " is not installed on " + ins.getIp());
        }
        Object port = stat.get("port");
        int reported = port instanceof Number n ? n.intValue() : 0;
        return reported > 0 ? reported : defaultPort;
    }

    /** A send to the agent failed: it may have gone since Heartbeat last answered, ask again next time. */
    public void failed(Instruct ins, ElvesException e) {
        if (e.code() == ErrorCode.SEND_JOB_FAIL || e.code() == ErrorCode.AGENT_ANSWER_TIMEOUT) {
            cache.forget(ins.getIp());
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean isOnline(Map<String, Object> answer) {
        return Replies.isOk(answer) && answer.get("result") instanceof Map<?, ?> stat
                && "true".equals(String.valueOf(((Map<String, Object>) stat).get("online")));
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
}

package org.elves.center.scheduler;

import org.apache.camel.Exchange;
import org.elves.center.contract.AgentQuery;
import org.elves.center.contract.AgentStatus;
import org.elves.center.rpc.Replies;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.Instruct;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Whether an agent may be given a task, shared by realtime (syncJob) and async (asyncJob) tasks:
 * Heartbeat is asked over rpc.call (by the route) unless a fresh answer is cached or the check is
 * switched off; the answer gives the agent's Thrift port, or the code of why it cannot run the task.
 * <p>
 * A Heartbeat that just started answers an agent it has not heard from yet "unknown, warming up"
 * (its first beat may be on its way, {@code HeartbeatWarmup}); the route (scheduler.online) then
 * asks again every {@code elves.scheduler.warmup-poll-ms} until the agent is known, the warm-up
 * is over, or the task's wait budget is spent ({@code elves.scheduler.warmup-wait-ms}, realtime
 * {@code elves.scheduler.warmup-wait-realtime-ms}); only then is an unknown agent 414.1.
 * Why ask again rather than have Heartbeat hold the question until the beat comes: the pause is a
 * Camel async delay, so no handler thread is parked while a task waits (a 200-task queue after a
 * restart would otherwise hold 200 threads for seconds); a repeated question may be taken by
 * another Heartbeat instance, the one the agent reports to, which a waiter held in one instance
 * would never hear of; and no state is kept beyond the exchange. The price is one rpc.call per
 * waiting task per poll, for the few seconds of a warm-up, and once one task got an agent's
 * online answer the others waiting for it find it in the cache and stop asking.
 */
public class OnlineCheck {
    /** Exchange property: the task's Instruct. */
    public static final String INSTRUCT = "ElvesInstruct";
    /** Exchange property: Heartbeat's answer about the agent, once known (cached or asked). */
    public static final String ONLINE = "ElvesOnline";
    /** Exchange property: the Heartbeat query, asked again while Heartbeat is warming up. */
    public static final String QUERY = "ElvesOnlineQuery";
    /** Exchange property: until when (ms) the task waits for its agent's first heartbeat. */
    static final String WAIT_UNTIL = "ElvesOnlineWaitUntil";
    /** Exchange property: the pause before the next question, ms. */
    static final String PAUSE = "ElvesOnlinePauseMs";
    static final Map<String, Object> NOT_CHECKED = Map.of("flag", "true", "unchecked", "true");

    private final ElvesConfig config;
    private final OnlineCache cache;
    private final LongSupplier clock;

    public OnlineCheck(ElvesConfig config, OnlineCache cache, LongSupplier clock) {
        this.config = config;
        this.cache = cache;
        this.clock = clock;
    }

    /**
     * Keeps the instruct on the exchange and returns the Heartbeat query for its agent (route
     * scheduler.online asks Heartbeat's getStatByIp with it). When no
     * question is needed (fresh answer, check off) {@link #ONLINE} is set and the route skips it.
     */
    public Map<String, Object> query(Instruct ins, Exchange exchange) {
        exchange.setProperty(INSTRUCT, ins);
        Map<String, Object> known = known(ins.getIp());
        if (known != null) {
            exchange.setProperty(ONLINE, known);
        }
        Map<String, Object> query = new AgentQuery(ins.getIp()).toMap();
        exchange.setProperty(QUERY, query);
        return query;
    }

    /**
     * Whether route scheduler.online asks Heartbeat (again): the first time unless an answer is
     * known; again only while the last answer was "warming up", the agent is not in the cache
     * meanwhile (another task got its answer), and the wait allowed is not over. Sets the pause
     * before the question ({@link #pauseMs}).
     */
    @SuppressWarnings("unchecked")
    public boolean askAgain(Exchange exchange) {
        Map<String, Object> answer = exchange.getProperty(ONLINE, Map.class);
        exchange.setProperty(PAUSE, 0L);
        if (answer == null) {
            return true;
        }
        long warmupLeft = warmupLeftMs(answer);
        if (warmupLeft <= 0) {
            return false;
        }
        Instruct ins = exchange.getProperty(INSTRUCT, Instruct.class);
        Map<String, Object> known = cache.fresh(ins.getIp());
        if (known != null) {
            exchange.setProperty(ONLINE, known);
            return false;
        }
        long now = clock.getAsLong();
        Long until = exchange.getProperty(WAIT_UNTIL, Long.class);
        if (until == null) {
            // the first "warming up": the task waits at most the warm-up left and its own budget
            until = now + Math.min(warmupLeft, waitBudgetMs(ins));
            exchange.setProperty(WAIT_UNTIL, until);
        }
        if (now >= until) {
            return false;
        }
        exchange.setProperty(PAUSE, Math.min(until - now, Math.max(1, config.requireLong("elves.scheduler.warmup-poll-ms"))));
        return true;
    }

    /** The pause before the next question to Heartbeat, ms (0 before the first). */
    public long pauseMs(Exchange exchange) {
        return exchange.getProperty(PAUSE, 0L, Long.class);
    }

    /**
     * How long a task may wait for its agent's first heartbeat. A realtime task's caller (OpenAPI)
     * waits only the task's timeout plus its reply margin (25 s), and the Scheduler needs the
     * timeout plus its answer margin (5 s) once the task is sent: its wait (15 s) stays within the
     * difference.
     * An async task's result is awaited from its sending on, so it may wait out the warm-up.
     */
    private long waitBudgetMs(Instruct ins) {
        return "rt".equals(ins.getType())
                ? config.requireLong("elves.scheduler.warmup-wait-realtime-ms")
                : config.requireLong("elves.scheduler.warmup-wait-ms");
    }

    /** The warm-up Heartbeat said is left when it answered "unknown", else 0. */
    static long warmupLeftMs(Map<String, Object> answer) {
        AgentStatus stat = Replies.isOk(answer) ? status(answer) : null;
        return stat != null && stat.isUnknown() && stat.warmupLeftMs() != null ? stat.warmupLeftMs() : 0;
    }

    /**
     * Heartbeat could not be asked (the broker is unavailable, 503.2) or did not answer in time
     * (500.1): nothing is known about the agent, and the task is not to blame.
     */
    public static boolean unanswered(Map<String, Object> online) {
        if (online == null || Replies.isOk(online)) {
            return false;
        }
        ErrorCode code = ErrorCode.ofText(String.valueOf(online.get("error")));
        return code == ErrorCode.BROKER_UNAVAILABLE || code == ErrorCode.COMPONENT_TIMEOUT;
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
        if (!config.requireBoolean("elves.scheduler.check-online")) {
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
    public int agentPort(Instruct ins, Map<String, Object> online) {
        int defaultPort = config.requireInt("elves.agent.port");
        if (online == NOT_CHECKED) {
            return defaultPort;
        }
        if (!Replies.isOk(online)) {
            throw new ElvesException(codeOf(online), detailOf(online));
        }
        AgentStatus stat = status(online);
        if (stat.isUnknown()) {
            // still unknown when the wait allowed ended (scheduler.online): as after the warm-up
            throw new ElvesException(ErrorCode.AGENT_NOT_FOUND, ins.getIp()
                    + " sent no heartbeat since Heartbeat started, for as long as this task could wait");
        }
        if (!stat.isOnline()) {
            throw new ElvesException(ErrorCode.AGENT_OFFLINE,
                    ins.getIp() + " last sent a heartbeat at " + stat.lastHbTime());
        }
        // an instruct without an app only addresses the agent (cancelJobs)
        if (ins.isSetApp() && (ins.getProxy() == null || ins.getProxy().isEmpty())
                && stat.apps() != null && !stat.apps().containsKey(ins.getApp())) {
            throw new ElvesException(ErrorCode.APP_NOT_FOUND, ins.getApp() + " is not installed on " + ins.getIp());
        }
        int reported = stat.port() == null ? 0 : stat.port();
        return reported > 0 ? reported : defaultPort;
    }

    /** A send to the agent failed: it may have gone since Heartbeat last answered, ask again next time. */
    public void failed(Instruct ins, ElvesException e) {
        if (e.code() == ErrorCode.SEND_JOB_FAIL || e.code() == ErrorCode.AGENT_ANSWER_TIMEOUT) {
            cache.forget(ins.getIp());
        }
    }

    private static boolean isOnline(Map<String, Object> answer) {
        AgentStatus stat = Replies.isOk(answer) ? status(answer) : null;
        return stat != null && stat.isOnline();
    }

    /** The agent's status in an answer Heartbeat gave (flag "true"); null when it holds none. */
    @SuppressWarnings("unchecked")
    private static AgentStatus status(Map<String, Object> answer) {
        return answer.get("result") instanceof Map<?, ?> stat ? AgentStatus.fromMap((Map<String, Object>) stat) : null;
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

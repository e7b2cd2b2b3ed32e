package org.elves.center.scheduler;

import org.apache.camel.Exchange;
import org.elves.config.ElvesConfig;
import org.elves.center.common.TaskEvents;
import org.elves.center.contract.AsyncJob;
import org.elves.center.contract.AsyncJobBatch;
import org.elves.center.contract.TaskResult;
import org.elves.center.rpc.RetryLater;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.elves.center.common.JobParams.text;

/**
 * The Scheduler's async task (queue and center cron, modes CANP/CAP; reference §4.2.2 step 4):
 * validate the asyncJob cast, check the agent like a realtime task ({@link OnlineCheck}), hand it
 * to the agent, which acknowledges at once and reports the result later through
 * SchedulerService.dataTransport. When the task cannot be handed over, its failure result is
 * what goes to Queue or Cron instead, so no task waits forever (route scheduler-async-job).
 * <p>
 * Two exceptions (issue 11). A re-send of a running task ({@code resend: true}, see
 * QueueSweep) that cannot reach its agent does not end the task, which may well be running
 * there: its failure is cast marked {@link TaskResult#RESEND_FAILED} and Queue only notes it.
 * And when Heartbeat could not be asked (503.2) or did not answer in time (500.1) nothing is
 * known about the agent: the handler throws {@link RetryLater} and the inbox redelivers the
 * message later, instead of failing a task for an infrastructure hiccup.
 */
public class AsyncJobs {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncJobs.class);
    /** Exchange property: "queue" or "cron", where the task's result goes. */
    public static final String TYPE = "ElvesTaskType";
    /** Exchange property: the Instructs of an asyncJobs batch, all for one agent. */
    public static final String BATCH = "ElvesBatch";
    /** Exchange property: how an asyncJob is sent ({@link Sending}). */
    static final String SENDING = "ElvesSending";
    /** Failures that say the agent could not be reached, rather than that it refused the task. */
    private static final List<ErrorCode> UNREACHABLE = List.of(ErrorCode.SEND_JOB_FAIL,
            ErrorCode.AGENT_ANSWER_TIMEOUT, ErrorCode.AGENT_NOT_FOUND, ErrorCode.AGENT_OFFLINE);

    /** A first send, a re-send of a running task, or a re-send of one whose agent was unreachable. */
    enum Sending {
        FIRST, RESEND, RESEND_TO_UNREACHABLE;

        /** From an asyncJob's {@code resend} and {@code unreachable} (QueueSweep's re-sends). */
        static Sending of(AsyncJob job) {
            if (!job.resend()) {
                return FIRST;
            }
            return job.unreachable() ? RESEND_TO_UNREACHABLE : RESEND;
        }
    }

    private final AgentClient agents;
    private final ElvesConfig config;
    private final OnlineCheck online;
    private final TaskEvents events;

    public AsyncJobs(AgentClient agents, ElvesConfig config, OnlineCheck online) {
        this(agents, config, online, TaskEvents.none());
    }

    public AsyncJobs(AgentClient agents, ElvesConfig config, OnlineCheck online, TaskEvents events) {
        this.agents = agents;
        this.config = config;
        this.online = online;
        this.events = events;
    }

    /**
     * Validates an asyncJob body and keeps its Instruct and type on the exchange; the body
     * returned is the Heartbeat query (see {@link OnlineCheck#query}).
     *
     * @throws IllegalArgumentException with the reason when the body is not a task (the route
     *                                  logs and drops it: a cast has nobody to answer)
     */
    public Map<String, Object> accept(Map<String, Object> body, Exchange exchange) {
        AsyncJob job = CastBodies.read(AsyncJob::fromMap, body);
        exchange.setProperty(TYPE, job.type());
        exchange.setProperty(SENDING, Sending.of(job));
        return online.query(instruct(job), exchange);
    }

    /**
     * The Instruct an asyncJob body describes.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong (see {@link AsyncJob#fromMap})
     */
    Instruct instruct(Map<String, Object> body) {
        return instruct(CastBodies.read(AsyncJob::fromMap, body));
    }

    private Instruct instruct(AsyncJob job) {
        Instruct ins = new Instruct();
        // the caller's id: Queue and Cron know their tasks by it
        ins.setId(job.id());
        ins.setIp(job.ip());
        ins.setType(job.type());
        ins.setMode(job.mode());
        ins.setApp(job.app());
        ins.setFunc(job.func());
        ins.setParam(job.param());
        ins.setTimeout(job.timeout() != null ? job.timeout() : config.requireInt("elves.timeout"));
        ins.setProxy(job.proxy());
        return ins;
    }

    /**
     * Hands the task to its agent: null once the agent took it, else the body to forward (the
     * failure result, or a re-send note).
     *
     * @throws RetryLater when Heartbeat could not be asked or did not answer in time
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> dispatch(Exchange exchange) {
        Instruct ins = exchange.getProperty(OnlineCheck.INSTRUCT, Instruct.class);
        Map<String, Object> stat = exchange.getProperty(OnlineCheck.ONLINE, Map.class);
        requireAnswered(ins.getIp(), stat);
        return send(ins, stat, exchange.getProperty(SENDING, Sending.FIRST, Sending.class));
    }

    Map<String, Object> send(Instruct ins, Map<String, Object> stat) {
        return send(ins, stat, Sending.FIRST);
    }

    /**
     * A first send that fails ends the task at once (it never started). A re-send that cannot
     * reach the agent is only a note: the task was taken before and may be running there.
     */
    Map<String, Object> send(Instruct ins, Map<String, Object> stat, Sending sending) {
        try {
            int port = online.agentPort(ins, stat);
            int ackTimeoutMs = config.requireInt("elves.scheduler.agent.ack-timeout-ms");
            events.instruct("sent", ins);
            requireAccepted(ins, agents.invokeAsync(ins.getIp(), port, List.of(ins), ackTimeoutMs));
        } catch (Refused e) {
            return TaskResult.failed(ins.getId(), e.getMessage()).toMap();
        } catch (ElvesException e) {
            online.failed(ins, e);
            if (sending != Sending.FIRST && UNREACHABLE.contains(e.code())) {
                LOG.info("queue task {} still unreachable on re-send: {}", ins.getId(), e.getMessage());
                return TaskResult.resendFailed(ins.getId(), e.getMessage()).toMap();
            }
            return TaskResult.failed(ins.getId(), e.getMessage()).toMap();
        }
        return sending == Sending.RESEND_TO_UNREACHABLE ? TaskResult.resendReached(ins.getId()).toMap() : null;
    }

    /** Nothing is known of the agent when Heartbeat could not be asked: the message is taken again later. */
    private static void requireAnswered(String ip, Map<String, Object> stat) {
        if (OnlineCheck.unanswered(stat)) {
            throw new RetryLater("Heartbeat not asked about " + ip + ": " + stat.get("error"));
        }
    }

    /**
     * Validates an asyncJobs body {ip, jobs:[asyncJob bodies]}, the tasks of one agent sent
     * together (a thousand crons due at the same second are twenty such casts over twenty agents,
     * not a thousand); keeps them on the exchange and returns the Heartbeat query for the agent.
     * A job that is not a task for that agent is dropped with a log line, as a lone asyncJob is.
     *
     * @throws IllegalArgumentException when no job of the batch is a task for its agent
     */
    public Map<String, Object> acceptBatch(Map<String, Object> body, Exchange exchange) {
        AsyncJobBatch batch = CastBodies.read(b -> AsyncJobBatch.fromMap(b,
                refusal -> LOG.warn("asyncJobs for {}: a job dropped: {}", text(b.get("ip")), refusal.getMessage())), body);
        if (batch.jobs().isEmpty()) {
            throw new IllegalArgumentException("asyncJobs needs tasks for its agent, got " + body.keySet());
        }
        exchange.setProperty(BATCH, batch.jobs().stream().map(this::instruct).toList());
        return online.queryAgent(batch.ip(), exchange);
    }

    /**
     * Hands a batch to its agent in one instructionInvokeAsync: {type, result} of each task the
     * agent did not take (its failure result, for Queue or Cron); empty when it took them all.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> dispatchBatch(Exchange exchange) {
        List<Instruct> batch = exchange.getProperty(BATCH, List.class);
        Map<String, Object> stat = exchange.getProperty(OnlineCheck.ONLINE, Map.class);
        requireAnswered(batch.get(0).getIp(), stat);
        return sendBatch(batch, stat);
    }

    List<Map<String, Object>> sendBatch(List<Instruct> batch, Map<String, Object> stat) {
        List<Map<String, Object>> failed = new ArrayList<>();
        Instruct first = batch.get(0);
        try {
            int port = online.agentPort(first, stat);
            int ackTimeoutMs = config.requireInt("elves.scheduler.agent.ack-timeout-ms");
            batch.forEach(ins -> events.instruct("sent", ins));
            List<Reinstruct> acks = agents.invokeAsync(first.getIp(), port, batch, ackTimeoutMs);
            for (int i = 0; i < batch.size(); i++) {
                Reinstruct ack = acks != null && i < acks.size() ? acks.get(i) : null;
                if (ack == null || ack.getFlag() != 1) {
                    String why = ack == null ? "no acknowledgement" : "refused the task: " + ack.getResult();
                    failed.add(typed(batch.get(i), ErrorCode.SEND_JOB_FAIL.text(first.getIp() + " " + why)));
                }
            }
        } catch (ElvesException e) {
            online.failed(first, e);
            for (Instruct ins : batch) {
                failed.add(typed(ins, e.getMessage()));
            }
        }
        return failed;
    }

    private static Map<String, Object> typed(Instruct ins, String error) {
        Map<String, Object> failure = new java.util.LinkedHashMap<>();
        failure.put("type", ins.getType());
        failure.put("result", TaskResult.failed(ins.getId(), error).toMap());
        return failure;
    }

    /** The agent acknowledges each instruct with flag 1; anything else is a refusal. */
    private static void requireAccepted(Instruct ins, List<Reinstruct> acks) {
        if (acks == null || acks.size() != 1) {
            throw new Refused(ins.getIp() + " acknowledged " + (acks == null ? 0 : acks.size()) + " instructs for 1 sent");
        }
        Reinstruct ack = acks.get(0);
        if (ack.getFlag() != 1) {
            throw new Refused(ins.getIp() + " refused the task: " + ack.getResult());
        }
    }

    /** 410.1 from an agent that answered: it was reached, so even a re-send's refusal ends the task. */
    private static final class Refused extends ElvesException {
        Refused(String detail) {
            super(ErrorCode.SEND_JOB_FAIL, detail);
        }
    }
}

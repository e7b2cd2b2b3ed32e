package org.elves.center.queue;

import org.apache.camel.Exchange;

import java.util.List;
import java.util.Map;

/**
 * A Queue handler's answer and the tasks it released for sending; the handlers leave the jobs in
 * the exchange property {@link #JOBS} for route queue.send-jobs.
 */
public record QueueOutcome(Map<String, Object> reply, List<Map<String, Object>> jobs) {
    /** Exchange property: the asyncJob bodies to cast to the Scheduler after a handler. */
    public static final String JOBS = "ElvesQueueJobs";
    /** Exchange property: the cancelJobs bodies ({ip, ids}) to cast to the Scheduler after a stop. */
    public static final String CANCELS = "ElvesQueueCancels";

    static QueueOutcome of(Map<String, Object> reply) {
        return new QueueOutcome(reply, List.of());
    }

    /** The jobs go to the exchange for route queue.send-jobs; the reply is the handler's answer. */
    static Map<String, Object> handOver(QueueOutcome outcome, Exchange exchange) {
        exchange.setProperty(JOBS, outcome.jobs());
        return outcome.reply();
    }
}

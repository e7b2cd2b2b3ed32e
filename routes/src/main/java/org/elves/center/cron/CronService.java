package org.elves.center.cron;

import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.elves.center.common.JobParams;
import org.elves.center.common.Ownership;
import org.elves.center.common.PolledTable;
import org.elves.center.common.Replies;
import org.elves.center.scheduler.TaskResults;
import org.elves.config.ElvesConfig;
import org.elves.protocol.CronRule;
import org.elves.protocol.CronRunId;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ElvesTime;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.elves.protocol.TaskIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.set;
import static org.elves.center.common.JobParams.text;

/**
 * The Cron component's handlers (reference §6: createCron, startCron, stopCron, deleteCron,
 * cronDetail, cronList, cronResult; ours: processorResult, agentCronTable). A cron is enabled as
 * soon as it is added (reference G19). An agent-side cron (side "agent", modes AANP/AAP) is run by
 * its agent: every change to one leaves the agent's new list in {@link #PUSH} for the route to
 * push (scheduler.cronPush), and the Heartbeat carries the lists too ({@link #agentCronTable}).
 */
public class CronService {
    private static final Logger LOG = LoggerFactory.getLogger(CronService.class);
    /** Exchange property: {ip, crons} after a change of an agent-side cron, else absent. */
    public static final String PUSH = "ElvesCronPush";
    private static final int UPDATE_ATTEMPTS = 8;

    private final CronStore store;
    private final ElvesConfig config;
    private final LongSupplier clock;

    public CronService(CronStore store, ElvesConfig config, LongSupplier clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    // ---- management (rpc.call from OpenAPI) ----

    public Map<String, Object> createCron(Map<String, Object> body, Exchange exchange) {
        Document cron = validated(body);
        store.insert(cron);
        LOG.info("cron {} added: {} {}.{} on {} rule '{}' {} side {}", cron.getString("_id"), cron.getString("mode"),
                cron.getString("app"), cron.getString("func"), cron.getString("ip"), cron.getString("rule"),
                cron.getString("timezone"), cron.getString("side"));
        pushIfAgentSide(cron, exchange);
        Map<String, Object> reply = Replies.ok(null);
        reply.put("id", cron.getString("_id"));
        return reply;
    }

    public Map<String, Object> startCron(Map<String, Object> body, Exchange exchange) {
        return setFlag(body, 1, exchange);
    }

    public Map<String, Object> stopCron(Map<String, Object> body, Exchange exchange) {
        return setFlag(body, 0, exchange);
    }

    public Map<String, Object> deleteCron(Map<String, Object> body, Exchange exchange) {
        existing(cronId(body), body);
        Document deleted = store.delete(cronId(body));
        if (deleted == null) {
            throw new ElvesException(ErrorCode.CRON_NOT_FOUND, text(body.get("id")));
        }
        LOG.info("cron {} deleted", deleted.getString("_id"));
        pushIfAgentSide(deleted, exchange);
        return Replies.ok(null);
    }

    public Map<String, Object> cronDetail(Map<String, Object> body) {
        return Replies.ok(detail(existing(cronId(body), body)));
    }

    /** {result: [ids newest first] (reference), crons: [summaries]} of the crons aimed at one agent. */
    public Map<String, Object> cronList(Map<String, Object> body) {
        String ip = JobParams.required(body, "ip", ErrorCode.PARAM_IP);
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (Document cron : store.byIp(ip)) {
            ids.add(cron.getString("_id"));
            summaries.add(summary(cron));
        }
        Map<String, Object> reply = Replies.ok(ids);
        reply.put("crons", summaries);
        return reply;
    }

    // ---- results (casts from the Scheduler) ----

    /** A run's result {flag, error, result:{id: run id, worker_*}}: recorded once per run id. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> cronResult(Map<String, Object> body) {
        Map<String, Object> result = body.get("result") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String runId = text(result.get("id"));
        Document run = new Document("run_id", runId)
                .append("end_time", clock.getAsLong())
                .append("flag", text(body.get("flag")))
                .append("error", text(body.get("error")))
                .append("worker_flag", text(result.get("worker_flag")))
                .append("worker_message", text(result.get("worker_message")))
                .append("worker_costtime", text(result.get("worker_costtime")));
        record(runId, run);
        return null;
    }

    /**
     * An asyncJobs batch the leader could not cast to the Scheduler (route cron-tick; the broker
     * is down, mostly): each of its runs is recorded as failed, {@code [503.2]}, so the run shows in
     * the cron's history instead of vanishing. Not retried: the tick's second is claimed, and by
     * the time the broker is back the misfire policy would have given a later run anyway.
     */
    @SuppressWarnings("unchecked")
    public void notCast(Map<String, Object> batch, String why) {
        if (!(batch.get("jobs") instanceof List<?> jobs)) {
            return;
        }
        for (Object job : jobs) {
            String runId = text(((Map<String, Object>) job).get("id"));
            LOG.warn("cron run {} not sent: {}", runId, why);
            cronResult(TaskResults.failed(runId, ErrorCode.BROKER_UNAVAILABLE.text(
                    "run not cast to the scheduler for " + text(batch.get("ip")) + ": " + why)));
        }
    }

    /** Mode P: the processor's outcome {id: run id, processor_flag, processor_error, processor_costtime}. */
    public Map<String, Object> processorResult(Map<String, Object> body) {
        String runId = text(body.get("id"));
        CronRunId key = key(runId);
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Document cron = store.find(key.cronId());
            if (cron == null) {
                return null;
            }
            List<Document> history = history(cron);
            Document run = history.stream().filter(r -> runId.equals(r.getString("run_id"))).findFirst().orElse(null);
            if (run == null || run.containsKey("processor_flag")) {
                LOG.debug("processor result of run {} ignored: run unknown or recorded already", runId);
                return null;
            }
            run.append("processor_flag", text(body.get("processor_flag")))
                    .append("processor_error", text(body.get("processor_error")))
                    .append("processor_costtime", text(body.get("processor_costtime")));
            if (store.update(key.cronId(), rev(cron), set("history", history))) {
                return null;
            }
        }
        LOG.warn("processor result of run {} not recorded: the cron kept changing", runId);
        return null;
    }

    /**
     * For the Heartbeat: {version, changed, table: {ip: {version, crons}}} of every started
     * agent-side cron; the table only when the caller's version is not the current one.
     */
    public Map<String, Object> agentCronTable(Map<String, Object> body) {
        return PolledTable.answer(String.valueOf(store.changes(CronStore.AGENT)), body, "table",
                () -> AgentCronLists.table(store.started(CronStore.AGENT)));
    }

    // ---- the rules ----

    Document validated(Map<String, Object> body) {
        String ip = JobParams.required(body, "ip", ErrorCode.PARAM_IP);
        String app = JobParams.required(body, "app", ErrorCode.PARAM_APP);
        String func = JobParams.required(body, "func", ErrorCode.PARAM_FUNC);
        String param = text(body.get("param"));
        if (!param.isEmpty() && !Json.isValid(param)) {
            throw new ElvesException(ErrorCode.PARAM_PARAM, "param must be JSON text");
        }
        int timeout = JobParams.timeoutSeconds(body.get("timeout"), config.getInt("elves.timeout", 90));
        String mode = JobParams.mode(body.get("mode"));
        CronRule rule = CronRule.parse(text(body.get("rule")), text(body.get("timezone")));
        String side = text(body.get("side")).toLowerCase(Locale.ROOT);
        if (side.isEmpty()) {
            side = CronStore.CENTER;
        } else if (!side.equals(CronStore.CENTER) && !side.equals(CronStore.AGENT)) {
            throw new ElvesException(ErrorCode.PARAM_CRON_SIDE, "side must be center or agent, got '" + side + "'");
        }
        long now = clock.getAsLong();
        return new Document("_id", TaskIds.next())
                .append("ip", ip).append("app", app).append("func", func).append("param", param)
                .append("timeout", timeout).append("proxy", text(body.get("proxy"))).append("mode", mode)
                .append("rule", rule.rule()).append("timezone", rule.zone().getId()).append("side", side)
                .append("auth_id", text(body.get("auth_id")))
                .append("cron_flag", 1).append("create_time", now)
                // no run before it existed: the first key is after its creation
                .append("last_fire", now).append("rev", 0L)
                .append("history", new ArrayList<>());
    }

    private Map<String, Object> setFlag(Map<String, Object> body, int flag, Exchange exchange) {
        String id = cronId(body);
        existing(id, body);
        if (!store.setFlag(id, flag, clock.getAsLong())) {
            throw new ElvesException(ErrorCode.CRON_NOT_FOUND, id);
        }
        LOG.info("cron {} {}", id, flag == 1 ? "started" : "stopped");
        pushIfAgentSide(store.find(id), exchange);
        return Replies.ok(null);
    }

    private void pushIfAgentSide(Document cron, Exchange exchange) {
        if (cron == null || !CronStore.AGENT.equals(cron.getString("side")) || exchange == null) {
            return;
        }
        String ip = cron.getString("ip");
        List<Document> started = store.byIp(ip).stream()
                .filter(c -> CronStore.AGENT.equals(c.getString("side")) && c.getInteger("cron_flag", 0) == 1)
                .toList();
        Map<String, Object> push = new LinkedHashMap<>();
        push.put("ip", ip);
        push.put("crons", AgentCronLists.list(started));
        exchange.setProperty(PUSH, push);
    }

    /** Records a run's result once; the cron's last result is that of its latest fire time. */
    private void record(String runId, Document run) {
        CronRunId key = key(runId);
        long fireMs = key.fireTime().toEpochMilli();
        run.append("fire_time", fireMs);
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Document cron = store.find(key.cronId());
            if (cron == null) {
                LOG.info("result of run {} dropped: its cron no longer exists", runId);
                return;
            }
            List<Document> history = history(cron);
            if (history.stream().anyMatch(r -> runId.equals(r.getString("run_id")))) {
                LOG.debug("result of run {} recorded already; this repeat is dropped", runId);
                return;
            }
            history.add(run);
            history.sort((a, b) -> Long.compare(a.get("fire_time", 0L), b.get("fire_time", 0L)));
            int keep = Math.max(1, config.getInt("elves.cron.history", 20));
            List<Document> kept = new ArrayList<>(history.subList(Math.max(0, history.size() - keep), history.size()));
            List<Bson> changes = new ArrayList<>();
            changes.add(set("history", kept));
            if (fireMs >= cron.get("last_exec_fire", 0L)) {
                changes.add(set("last_exec_fire", fireMs));
                changes.add(set("last_exec_time", run.getLong("end_time")));
                changes.add(set("last_exec_result", lastResult(run)));
            }
            if (store.update(key.cronId(), rev(cron), combine(changes))) {
                return;
            }
        }
        LOG.warn("result of run {} not recorded: the cron kept changing", runId);
    }

    /** A run id names cron and fire time; an id without a time (an original-style cron id) is "now". */
    private CronRunId key(String runId) {
        CronRunId key = CronRunId.parse(runId);
        return key != null ? key : new CronRunId(runId, Instant.ofEpochMilli(clock.getAsLong()));
    }

    private static Map<String, Object> lastResult(Document run) {
        Map<String, Object> worker = new LinkedHashMap<>();
        worker.put("worker_flag", run.getString("worker_flag"));
        worker.put("worker_message", run.getString("worker_message"));
        worker.put("worker_costtime", run.getString("worker_costtime"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("flag", run.getString("flag"));
        result.put("error", run.getString("error"));
        result.put("result", worker);
        return result;
    }

    /** The cron, when it exists and the caller (if any) may act on it. */
    private Document existing(String id, Map<String, Object> body) {
        Document cron = store.find(id);
        if (cron == null) {
            throw new ElvesException(ErrorCode.CRON_NOT_FOUND, id);
        }
        Ownership.check(cron.getString("auth_id"), body, "cron " + id);
        return cron;
    }

    private static String cronId(Map<String, Object> body) {
        String id = text(body.get("id"));
        if (id.length() != 16) {
            throw new ElvesException(ErrorCode.PARAM_CRON_ID, "cron_id must be 16 characters");
        }
        return id;
    }

    @SuppressWarnings("unchecked")
    private static List<Document> history(Document cron) {
        Object h = cron.get("history");
        return h instanceof List<?> list ? new ArrayList<>((List<Document>) list) : new ArrayList<>();
    }

    private static long rev(Document cron) {
        Object rev = cron.get("rev");
        return rev instanceof Number n ? n.longValue() : 0L;
    }

    Map<String, Object> detail(Document cron) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (String field : List.of("ip", "app", "func", "param", "mode", "proxy", "timeout", "rule", "timezone", "side", "cron_flag")) {
            d.put(field, cron.get(field));
        }
        d.put("id", cron.getString("_id"));
        d.put("create_time", ElvesTime.format(cron.get("create_time", 0L)));
        d.put("next_fire_time", nextFire(cron));
        d.put("last_fire_time", ElvesTime.format(lastFire(cron)));
        d.put("last_exec_time", ElvesTime.format(cron.get("last_exec_time", 0L)));
        Object last = cron.get("last_exec_result");
        d.put("last_exec_result", last == null ? Map.of() : last);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Document run : history(cron)) {
            Map<String, Object> r = new LinkedHashMap<>(run);
            r.put("fire_time", ElvesTime.format(run.get("fire_time", 0L)));
            r.put("end_time", ElvesTime.format(run.get("end_time", 0L)));
            runs.add(r);
        }
        d.put("history", runs);
        return d;
    }

    private Map<String, Object> summary(Document cron) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", cron.getString("_id"));
        for (String field : List.of("app", "func", "mode", "rule", "timezone", "side", "cron_flag")) {
            s.put(field, cron.get(field));
        }
        s.put("next_fire_time", nextFire(cron));
        s.put("last_exec_time", ElvesTime.format(cron.get("last_exec_time", 0L)));
        return s;
    }

    /** The scheduled time of the latest run whose result came (fired runs without one yet are not shown). */
    private static long lastFire(Document cron) {
        return cron.get("last_exec_fire", 0L);
    }

    private String nextFire(Document cron) {
        if (cron.getInteger("cron_flag", 0) != 1) {
            return "";
        }
        try {
            Instant next = CronRule.parse(cron.getString("rule"), cron.getString("timezone"))
                    .nextAfter(Instant.ofEpochMilli(clock.getAsLong()));
            return next == null ? "" : ElvesTime.format(next.toEpochMilli());
        } catch (ElvesException e) {
            return "";
        }
    }
}

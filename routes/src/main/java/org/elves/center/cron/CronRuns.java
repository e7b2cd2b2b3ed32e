package org.elves.center.cron;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.elves.center.common.TaskEvents;
import org.elves.center.contract.AsyncJob;
import org.elves.center.contract.AsyncJobBatch;
import org.elves.center.contract.ProcessorResult;
import org.elves.center.contract.TaskResult;
import org.elves.config.ElvesConfig;
import org.elves.protocol.CronRunId;
import org.elves.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.set;
import static org.elves.center.common.JobParams.text;

/**
 * A cron's runs (casts from the Scheduler, reference §6 cronResult; ours: processorResult): each
 * recorded once per run id in the cron's bounded history ({@code elves.cron.history}), by a
 * conditional update on the cron's revision, so instances recording at once never lose a run.
 */
public class CronRuns {
    private static final Logger LOG = LoggerFactory.getLogger(CronRuns.class);
    private static final int UPDATE_ATTEMPTS = 8;

    private final CronStore store;
    private final ElvesConfig config;
    private final LongSupplier clock;

    /** Set once the tap exists (CronConfiguration.configure, after the beans are bound). */
    private volatile TaskEvents events = TaskEvents.none();

    public void tellWatcher(TaskEvents events) {
        this.events = events;
    }

    public CronRuns(CronStore store, ElvesConfig config, LongSupplier clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /** A run's result (its id: the run id): recorded once per run id. */
    public Map<String, Object> cronResult(Map<String, Object> body) {
        record(TaskResult.fromMap(body));
        return null;
    }

    private void record(TaskResult result) {
        Document run = new Document("run_id", result.id())
                .append("end_time", clock.getAsLong())
                .append("flag", String.valueOf(result.flag()))
                .append("error", result.error())
                .append("worker_flag", text(result.workerFlag()))
                .append("worker_message", text(result.workerMessage()))
                .append("worker_costtime", text(result.workerCosttime()));
        record(result, run);
    }

    /**
     * An asyncJobs batch the leader could not cast to the Scheduler (route cron-tick; the broker
     * is down, mostly): each of its runs is recorded as failed, {@code [503.2]}, so the run shows in
     * the cron's history instead of vanishing. Not retried: the tick's second is claimed, and by
     * the time the broker is back the misfire policy would have given a later run anyway.
     */
    public void notCast(Map<String, Object> batch, String why) {
        AsyncJobBatch runs = AsyncJobBatch.fromMap(batch);
        for (AsyncJob job : runs.jobs()) {
            LOG.warn("cron run {} not sent: {}", job.id(), why);
            record(TaskResult.failed(job.id(), ErrorCode.BROKER_UNAVAILABLE.text(
                    "run not cast to the scheduler for " + runs.ip() + ": " + why)));
        }
    }

    /** Mode P: the processor's outcome {id: run id, processor_flag, processor_error, processor_costtime}. */
    public Map<String, Object> processorResult(Map<String, Object> body) {
        ProcessorResult result = ProcessorResult.fromMap(body);
        String runId = result.id();
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
            run.putAll(result.outcome());
            if (store.update(key.cronId(), rev(cron), set("history", history))) {
                return null;
            }
        }
        LOG.warn("processor result of run {} not recorded: the cron kept changing", runId);
        return null;
    }

    /**
     * Tells the Watcher the run's result is kept, with what only the cron knows: whether the
     * center or the agent fired it, and the key that made it.
     */
    private void storedEvent(TaskResult result, Document cron) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("type", CronStore.AGENT.equals(cron.getString("side")) ? "selfcron" : "cron");
        fields.put("cron_id", cron.getString("_id"));
        fields.put("auth_id", text(cron.get("auth_id")));
        fields.put("agent_ip", cron.getString("ip"));
        fields.put("instruct", cron.getString("app"));
        fields.put("func", cron.getString("func"));
        fields.put("mode", cron.getString("mode"));
        events.stored(result, fields);
    }

    /** Records a run's result once; the cron's last result is that of its latest fire time. */
    private void record(TaskResult result, Document run) {
        String runId = result.id();
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
            int keep = Math.max(1, config.requireInt("elves.cron.history"));
            List<Document> kept = new ArrayList<>(history.subList(Math.max(0, history.size() - keep), history.size()));
            List<Bson> changes = new ArrayList<>();
            changes.add(set("history", kept));
            if (fireMs >= cron.get("last_exec_fire", 0L)) {
                changes.add(set("last_exec_fire", fireMs));
                changes.add(set("last_exec_time", run.getLong("end_time")));
                changes.add(set("last_exec_result", lastResult(run)));
            }
            if (store.update(key.cronId(), rev(cron), combine(changes))) {
                storedEvent(result, cron);
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

    /** A copy of the cron's recorded runs, oldest fire time first. */
    @SuppressWarnings("unchecked")
    static List<Document> history(Document cron) {
        Object h = cron.get("history");
        return h instanceof List<?> list ? new ArrayList<>((List<Document>) list) : new ArrayList<>();
    }

    private static long rev(Document cron) {
        Object rev = cron.get("rev");
        return rev instanceof Number n ? n.longValue() : 0L;
    }
}

package org.elves.center.watcher;

import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.elves.center.common.AgentSet;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.mongodb.client.model.Filters.eq;

/**
 * A task's log record (collection {@code task_logs}, {@code _id} = the task id) is built from the
 * phase events the components send through the tap: a batch's events of a task note each phase's
 * time, the fields the events know and, where a phase changes it, the state, in one write. Every
 * update is idempotent (a redelivered event changes nothing), and events may arrive in any order
 * (two Watchers, a redelivery): the earliest time wins for the start, the state list is kept in
 * time order when read.
 */
final class TaskLogUpdates {
    /** Phases in the order a task goes through them (the timeline's order). */
    static final List<String> PHASES = List.of("accepted", "authorised", "queued", "sent", "agent_started",
            "agent_finished", "finished", "stored", "processor_called", "cancelled");
    /** The record's fields an event may set, spelled as the reference's log tables. */
    static final Set<String> FIELDS = Set.of("type", "mode", "queue_id", "cron_id", "agent_ip", "instruct", "func",
            "param", "timeout", "auth_id", "agent_sync_flag", "agent_sync_error", "agent_sync_costtime",
            "worker_flag", "worker_message", "worker_costtime", "processor_sync_flag", "processor_sync_error",
            "processor_sync_costtime", "result_flag");
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "timed-out", "cancelled");

    private TaskLogUpdates() {
    }

    /**
     * A task's events of one batch as one write: the record they make where there is none yet
     * ({@code asNew}, inserted: most tasks' events all come in one batch) and the upsert that
     * brings a record written before up to them (when the insert finds one). Both come from the
     * same fold of the events, so either way the record is the same.
     */
    record Change(String taskId, Document asNew, UpdateOneModel<Document> upsert) {
    }

    /**
     * The write of a task's events in a batch ({phase, at, phases?, fields...} each, in the order
     * they came; {@code phases}: further phases the event reports, name → Unix ms); null when none
     * names a known phase. One write per task and batch, not one per event.
     */
    static Change of(String taskId, List<Map<String, Object>> events) {
        Fold fold = new Fold();
        events.forEach(fold::add);
        return fold.phases.isEmpty() ? null : new Change(taskId, fold.asNew(taskId), fold.upsert(taskId));
    }

    /** What a batch's events of one task say, merged: earliest time per phase, states, fields. */
    private static final class Fold {
        final Map<String, Long> phases = new LinkedHashMap<>();
        final Map<String, Object> fields = new LinkedHashMap<>();
        final List<Document> states = new ArrayList<>();
        String terminal;
        int progress = -1;
        Long callback;
        Long end;
        boolean resultGiven;
        boolean ended;

        void add(Map<String, Object> event) {
            if (!(event.get("phase") instanceof String p) || !PHASES.contains(p)) {
                return;
            }
            long at = event.get("at") instanceof Number n ? n.longValue() : System.currentTimeMillis();
            Map<String, Long> reached = new LinkedHashMap<>();
            reached.put(p, at);
            if (event.get("phases") instanceof Map<?, ?> more) {
                more.forEach((name, time) -> {
                    if (PHASES.contains(String.valueOf(name)) && time instanceof Number t) {
                        reached.putIfAbsent(String.valueOf(name), t.longValue());
                    }
                });
            }
            for (Map.Entry<String, Long> r : reached.entrySet()) {
                phases.merge(r.getKey(), r.getValue(), Math::min);
                String state = stateOf(r.getKey(), event);
                if (state == null) {
                    continue;
                }
                states.add(new Document("state", state).append("at", r.getValue()));
                if (TERMINAL.contains(state)) {
                    terminal = state;
                    end = end == null ? r.getValue() : Math.max(end, r.getValue());
                } else {
                    progress = Math.max(progress, PHASES.indexOf(r.getKey()));
                }
            }
            if (p.equals("finished")) {
                callback = callback == null ? at : Math.min(callback, at);
                end = end == null ? at : Math.max(end, at);
            }
            ended |= p.equals("finished") || p.equals("cancelled");
            for (Map.Entry<String, Object> e : event.entrySet()) {
                if (FIELDS.contains(e.getKey()) && e.getValue() != null) {
                    resultGiven |= e.getKey().equals("result_flag");
                    fields.put(e.getKey(), "param".equals(e.getKey())
                            ? MessageRecords.maskedJson(String.valueOf(e.getValue())) : e.getValue());
                }
            }
        }

        Date start() {
            return new Date(phases.values().stream().min(Long::compare).orElseThrow());
        }

        Date last() {
            return new Date(phases.values().stream().max(Long::compare).orElseThrow());
        }

        Long agentIpNumber() {
            return fields.get("agent_ip") instanceof String ip && AgentSet.isIp(ip) ? AgentSet.value(ip) : null;
        }

        boolean stillRunning() {
            return !resultGiven && !ended;
        }

        UpdateOneModel<Document> upsert(String taskId) {
            List<Bson> updates = new ArrayList<>();
            phases.forEach((phase, at) -> updates.add(Updates.min("phases." + phase, at)));
            updates.add(Updates.min("starttime", start()));
            updates.add(Updates.max("last_at", last()));
            fields.forEach((name, value) -> updates.add(Updates.set(name, value)));
            if (agentIpNumber() != null) {
                // grants name networks: a range on the number answers them
                updates.add(Updates.set("agent_ip_num", agentIpNumber()));
            }
            if (callback != null) {
                updates.add(Updates.min("agent_callback_time", new Date(callback)));
            }
            if (end != null) {
                updates.add(Updates.max("endtime", new Date(end)));
            }
            if (!states.isEmpty()) {
                updates.add(Updates.addEachToSet("states", states));
            }
            if (terminal != null) {
                updates.add(Updates.set("state", terminal));
            }
            if (progress >= 0) {
                // a late "sent" must not undo a terminal state: the state is read from both (currentState)
                updates.add(Updates.max("progress", progress));
            }
            if (stillRunning()) {
                updates.add(Updates.setOnInsert("result_flag", 2));
            }
            return new UpdateOneModel<>(eq("_id", taskId), Updates.combine(updates), new UpdateOptions().upsert(true));
        }

        /** The record {@link #upsert} makes when there is none: each operator applied to nothing. */
        Document asNew(String taskId) {
            Document record = new Document("_id", taskId).append("phases", new Document(new LinkedHashMap<>(phases)))
                    .append("starttime", start()).append("last_at", last());
            record.putAll(fields);
            if (agentIpNumber() != null) {
                record.append("agent_ip_num", agentIpNumber());
            }
            if (callback != null) {
                record.append("agent_callback_time", new Date(callback));
            }
            if (end != null) {
                record.append("endtime", new Date(end));
            }
            if (!states.isEmpty()) {
                record.append("states", new ArrayList<>(new LinkedHashSet<>(states)));
            }
            if (terminal != null) {
                record.append("state", terminal);
            }
            if (progress >= 0) {
                record.append("progress", progress);
            }
            if (stillRunning()) {
                record.append("result_flag", 2);
            }
            return record;
        }
    }

    /** The state a phase means, or null when it leaves it as it was (authorised, stored, ...). */
    static String stateOf(String phase, Map<String, Object> event) {
        return switch (phase) {
            case "accepted" -> "accepted";
            case "queued" -> "queued";
            case "sent" -> "sent";
            case "agent_started" -> "running";
            case "cancelled" -> "cancelled";
            case "finished" -> event.get("state") instanceof String s && TERMINAL.contains(s) ? s : "failed";
            // the keeper of the result may end a task the Scheduler never heard back about (a timeout)
            case "stored" -> event.get("state") instanceof String s && TERMINAL.contains(s) ? s : null;
            default -> null;
        };
    }

    /** The state of a record: its terminal state, else the one of the furthest phase it reached. */
    static String currentState(Document log) {
        String terminal = log.getString("state");
        if (terminal != null && TERMINAL.contains(terminal)) {
            return terminal;
        }
        Object progress = log.get("progress");
        if (progress instanceof Number n && n.intValue() >= 0 && n.intValue() < PHASES.size()) {
            String state = stateOf(PHASES.get(n.intValue()), Map.of());
            return state == null ? "accepted" : state;
        }
        return "accepted";
    }
}

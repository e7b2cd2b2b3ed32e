package org.elves.center.watcher;

import org.bson.Document;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Task records and outputs as the logs API answers them (docs/api.md "Logs"). */
final class LogViews {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final List<String> FIELDS = List.of("type", "mode", "queue_id", "cron_id", "agent_ip", "instruct",
            "func", "param", "timeout", "auth_id", "starttime", "agent_sync_flag", "agent_sync_error",
            "agent_sync_costtime", "agent_callback_time", "worker_flag", "worker_message", "worker_costtime",
            "processor_sync_flag", "processor_sync_error", "processor_sync_costtime", "endtime", "result_flag");

    private LogViews() {
    }

    /** The list entry of a record. */
    static Map<String, Object> entry(Document log) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("log_id", log.get("_id"));
        for (String f : FIELDS) {
            Object v = log.get(f);
            if (v != null) {
                out.put(f, v instanceof Date d ? time(d.getTime()) : v);
            }
        }
        out.put("state", TaskLogUpdates.currentState(log));
        if (!out.containsKey("agent_sync_costtime") && log.get("phases") instanceof Document phases
                && phases.get("sent") instanceof Number sent && phases.get("finished") instanceof Number finished) {
            // an async task: from its sending to its result's return, as the Scheduler saw them
            out.put("agent_sync_costtime", finished.longValue() - sent.longValue());
        }
        return out;
    }

    /** One task's whole record: the entry, every state change and the timeline, and its output. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> whole(Document log, Document output) {
        Map<String, Object> out = entry(log);
        List<Document> states = new ArrayList<>(log.getList("states", Document.class, List.of()));
        states.sort(Comparator.comparingLong(s -> TaskOutputs.number(s.get("at"))));
        List<Map<String, Object>> stateList = new ArrayList<>();
        for (Document s : states) {
            stateList.add(Map.of("state", s.getString("state"), "time", time(TaskOutputs.number(s.get("at")))));
        }
        out.put("states", stateList);
        out.put("timeline", timeline((Map<String, Object>) log.get("phases")));
        out.put("output", output(output, 0));
        return out;
    }

    static List<Map<String, Object>> timeline(Map<String, Object> phases) {
        List<Map<String, Object>> timeline = new ArrayList<>();
        if (phases == null) {
            return timeline;
        }
        Long accepted = phases.get("accepted") instanceof Number n ? n.longValue() : null;
        for (String phase : TaskLogUpdates.PHASES) {
            if (phases.get(phase) instanceof Number n) {
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("phase", phase);
                step.put("time", time(n.longValue()));
                step.put("at", n.longValue());
                if (accepted != null) {
                    step.put("after_ms", n.longValue() - accepted);
                }
                timeline.add(step);
            }
        }
        return timeline;
    }

    /** The output's chunks after {@code afterSeq}, whether the middle was left out, and its sizes. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> output(Document output, long afterSeq) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> chunks = new ArrayList<>();
        long dropped = 0;
        long total = 0;
        long gapAfter = -1;
        long tailFrom = -1;
        if (output != null) {
            List<Document> head = output.getList("head", Document.class, List.of());
            List<Document> tail = output.getList("tail", Document.class, List.of());
            dropped = TaskOutputs.number(output.get("dropped_bytes"));
            total = TaskOutputs.number(output.get("total_bytes"));
            head.forEach(c -> add(chunks, c, afterSeq));
            if (dropped > 0 && !tail.isEmpty()) {
                gapAfter = head.isEmpty() ? 0 : TaskOutputs.number(head.get(head.size() - 1).get("seq"));
                tailFrom = TaskOutputs.number(tail.get(0).get("seq"));
            }
            tail.forEach(c -> add(chunks, c, afterSeq));
            // chunks two Watchers took out of order may sit at either end: the reader gets them by seq
            chunks.sort(java.util.Comparator.comparingLong(c -> ((Number) c.get("seq")).longValue()));
        }
        out.put("chunks", chunks);
        out.put("truncated", dropped > 0);
        out.put("dropped_bytes", dropped);
        out.put("total_bytes", total);
        if (gapAfter >= 0) {
            // bytes are missing after this seq, up to the first one kept at the end: a follower shows
            // the mark there and waits for no chunk in between
            out.put("truncated_after_seq", gapAfter);
            out.put("tail_from_seq", tailFrom);
        }
        return out;
    }

    private static void add(List<Map<String, Object>> chunks, Document c, long afterSeq) {
        long seq = TaskOutputs.number(c.get("seq"));
        if (seq > afterSeq) {
            Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("seq", seq);
            chunk.put("stream", c.getString("stream"));
            chunk.put("data", c.getString("data"));
            chunk.put("time", time(TaskOutputs.number(c.get("at"))));
            chunks.add(chunk);
        }
    }

    static String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms));
    }
}

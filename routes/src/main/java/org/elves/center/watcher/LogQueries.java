package org.elves.center.watcher;

import org.bson.Document;
import org.elves.center.common.AgentSet;
import org.elves.center.rpc.Replies;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Watcher's answers to the logs API (calls from OpenAPI): a page of task records, one
 * task's whole record, a task's output after a seq. Each call carries the asking key's grants
 * ({@code grants}: app → agents; absent for an admin key) and is answered within them.
 */
public class LogQueries {
    /** The list kinds of the API and the task type each lists. */
    static final Map<String, String> TYPES = Map.of("rt", "rt", "queues", "queue", "centercron", "cron", "selfcron", "selfcron");
    static final int MAX_COUNT = 500;

    private final WatcherStore store;

    public LogQueries(WatcherStore store) {
        this.store = store;
    }

    /** {kind, agent_ip, instruct, func, by_auth_id, from_ms, to_ms, sort, result_flag, count, page, grants}. */
    public Map<String, Object> logs(Map<String, Object> body) {
        String kind = text(body.get("kind"));
        String type = TYPES.get(kind);
        if (type == null) {
            throw new ElvesException(ErrorCode.PARAM_LOGS, "unknown logs kind '" + kind + "'; known: " + TYPES.keySet());
        }
        int count = (int) Math.min(MAX_COUNT, Math.max(1, number(body.get("count"), 50)));
        int page = (int) Math.max(1, number(body.get("page"), 1));
        LogFilter filter = new LogFilter(type, text(body.get("agent_ip")), text(body.get("instruct")),
                text(body.get("func")), text(body.get("by_auth_id")), optionalNumber(body.get("from_ms")),
                optionalNumber(body.get("to_ms")), text(body.get("result_flag")), grants(body));
        WatcherStore.Page found = store.find(filter, "asc".equalsIgnoreCase(text(body.get("sort"))), count, page);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(kind + "_exec_logs", found.logs().stream().map(LogViews::entry).toList());
        result.put("now_page", page);
        result.put("all_page", (found.total() + count - 1) / count);
        result.put("total_number", found.total());
        return Replies.ok(result);
    }

    /** {task_id, grants}: the whole record, [404.2] when none, [401.6] when not granted. */
    public Map<String, Object> task(Map<String, Object> body) {
        Document log = granted(body);
        return Replies.ok(LogViews.whole(log, store.output(log.getString("_id"))));
    }

    /**
     * {task_id, after_seq, grants}: the output chunks after that seq and, once the task ended,
     * {@code end}; a task not recorded yet is {@code known: false} (a follower asks again).
     */
    public Map<String, Object> output(Map<String, Object> body) {
        String taskId = text(body.get("task_id"));
        Document log = store.log(taskId);
        Map<String, Object> result = new LinkedHashMap<>();
        if (log == null) {
            result.put("known", false);
            return Replies.ok(result);
        }
        requireGranted(log, grants(body));
        result.put("known", true);
        result.putAll(LogViews.output(store.output(taskId), number(body.get("after_seq"), 0)));
        String state = TaskLogUpdates.currentState(log);
        if (Set.of("succeeded", "failed", "timed-out", "cancelled").contains(state)) {
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("result_flag", log.get("result_flag"));
            end.put("state", state);
            end.put("worker_flag", log.get("worker_flag"));
            result.put("end", end);
        }
        return Replies.ok(result);
    }

    private Document granted(Map<String, Object> body) {
        String taskId = text(body.get("task_id"));
        Document log = store.log(taskId);
        if (log == null) {
            throw new ElvesException(ErrorCode.TASK_LOG_NOT_FOUND, "no task " + taskId + " is recorded");
        }
        requireGranted(log, grants(body));
        return log;
    }

    private static void requireGranted(Document log, Map<String, ? extends Collection<String>> grants) {
        if (grants == null) {
            return;
        }
        Collection<String> agents = grants.get(log.getString("instruct"));
        if (agents == null || !AgentSet.matches(List.copyOf(agents), log.getString("agent_ip"))) {
            throw new ElvesException(ErrorCode.PERMISSION_DENIED, "task " + log.get("_id") + " is not of an app and agent granted to this auth_id");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ? extends Collection<String>> grants(Map<String, Object> body) {
        Object grants = body.get("grants");
        return grants instanceof Map<?, ?> map ? (Map<String, List<String>>) map : null;
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static long number(Object value, long otherwise) {
        Long n = optionalNumber(value);
        return n == null ? otherwise : n;
    }

    private static Long optionalNumber(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new ElvesException(ErrorCode.PARAM_LOGS, "not a number: " + s);
            }
        }
        return null;
    }
}

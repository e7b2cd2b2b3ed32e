package org.elves.center.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /api/v2/logs/*: the Watcher's logs, task and output calls from a checked request. Each call
 * carries the grants of the key that asks (absent for an admin key), so the Watcher answers
 * only with tasks of apps and agents the key may see.
 */
public class LogsApi {

    public Map<String, Object> rt(ApiCall call) {
        return list("rt", call);
    }

    public Map<String, Object> queues(ApiCall call) {
        return list("queues", call);
    }

    public Map<String, Object> centercron(ApiCall call) {
        return list("centercron", call);
    }

    public Map<String, Object> selfcron(ApiCall call) {
        return list("selfcron", call);
    }

    /** {task_id, grants}. */
    public Map<String, Object> task(ApiCall call) {
        Map<String, Object> body = scoped(call);
        body.put("task_id", call.value("task_id"));
        return body;
    }

    /** {task_id, after_seq, grants}. */
    public static Map<String, Object> output(ApiCall call, long afterSeq) {
        Map<String, Object> body = scoped(call);
        body.put("task_id", call.value("task_id"));
        body.put("after_seq", afterSeq);
        return body;
    }

    private static Map<String, Object> list(String kind, ApiCall call) {
        Map<String, Object> body = scoped(call);
        body.put("kind", kind);
        for (String name : List.of("agent_ip", "instruct", "func", "by_auth_id", "result_flag", "count", "page")) {
            Object v = call.value(name);
            if (v != null && !"".equals(v)) {
                body.put(name, v);
            }
        }
        body.put("sort", call.value("createtime_sort"));
        putIfGiven(body, "from_ms", call.value("createtime_begin"));
        putIfGiven(body, "to_ms", call.value("createtime_end"));
        return body;
    }

    private static void putIfGiven(Map<String, Object> body, String name, Object value) {
        if (value instanceof Number) {
            body.put(name, value);
        }
    }

    /** A body with the asking key's grants, app → agents; none for an admin key (it sees everything). */
    static Map<String, Object> scoped(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        ApiKey key = call.request().key();
        if (key != null && !key.admin()) {
            Map<String, List<String>> grants = new LinkedHashMap<>();
            key.grants().forEach((app, agents) -> grants.put(app, List.copyOf(agents)));
            body.put("grants", grants);
        }
        return body;
    }
}

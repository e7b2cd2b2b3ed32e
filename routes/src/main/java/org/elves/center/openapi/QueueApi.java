package org.elves.center.openapi;

import org.elves.protocol.ApiSignature;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /api/v2/queue/* (reference §3.4.5): the Queue component's call from a checked request. The
 * routes declare the parameters (checked in the reference's order: 403.6 queue_id, 403.7 func,
 * 403.1 ip, 403.2 param, 403.8 timeout, 403.4 mode) and where each call goes.
 */
public class QueueApi {

    /** createQueue {app, auth_id}. */
    public Map<String, Object> create(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", call.text("app"));
        body.put("auth_id", call.request().get(ApiSignature.AUTH_ID));
        return body;
    }

    /** addTask {id, func, ip, param, timeout, mode, proxy, depend_task_id} and the caller. */
    public Map<String, Object> addTask(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", call.text("queue_id"));
        task(call, body);
        body.put("depend_task_id", call.text("depend_task_id"));
        return ApiCallers.withCaller(body, call);
    }

    /** commitQueue, stopQueue, queueResult: {id} and the caller. */
    public Map<String, Object> byQueueId(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", call.text("queue_id"));
        return ApiCallers.withCaller(body, call);
    }

    /** quickQueue: create + addtask + commit in one Queue call, so a bad task leaves no empty queue behind. */
    public Map<String, Object> quick(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", call.text("app"));
        body.put("auth_id", call.request().get(ApiSignature.AUTH_ID));
        task(call, body);
        return body;
    }

    private static void task(ApiCall call, Map<String, Object> body) {
        body.put("func", call.text("func"));
        body.put("ip", call.text("ip"));
        body.put("param", call.text("param"));
        body.put("timeout", call.value("timeout"));
        body.put("mode", call.text("mode"));
        body.put("proxy", call.text("proxy"));
    }
}

package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /api/v2/queue/* (reference §3.4.5): a validated request becomes the Queue component's call;
 * its answer becomes the reference's result shape. Parameters are checked in the reference's
 * order (403.6 queue_id, 403.7 func, 403.1 ip, 403.2 param, 403.8 timeout, 403.4 mode).
 */
public class QueueApi {
    private final ElvesConfig config;

    public QueueApi(ElvesConfig config) {
        this.config = config;
    }

    public Map<String, Object> create(ApiRequest r, Exchange exchange) {
        enabled();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", ApiParams.app(r));
        body.put("auth_id", r.get(ApiSignature.AUTH_ID));
        return ComponentCalls.call(exchange, "queue", "createQueue", body);
    }

    public Map<String, Object> addTask(ApiRequest r, Exchange exchange) {
        enabled();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", ApiParams.queueId(r));
        task(r, body);
        body.put("depend_task_id", r.get("depend_task_id"));
        return ComponentCalls.call(exchange, "queue", "addTask", ComponentCalls.withCaller(body, r));
    }

    public Map<String, Object> commit(ApiRequest r, Exchange exchange) {
        return byQueueId(r, exchange, "commitQueue");
    }

    public Map<String, Object> stop(ApiRequest r, Exchange exchange) {
        return byQueueId(r, exchange, "stopQueue");
    }

    public Map<String, Object> result(ApiRequest r, Exchange exchange) {
        return byQueueId(r, exchange, "queueResult");
    }

    /** create + addtask + commit in one Queue call, so a bad task leaves no empty queue behind. */
    public Map<String, Object> quick(ApiRequest r, Exchange exchange) {
        enabled();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", ApiParams.app(r));
        body.put("auth_id", r.get(ApiSignature.AUTH_ID));
        task(r, body);
        return ComponentCalls.call(exchange, "queue", "quickQueue", body);
    }

    /** createX answers {flag, error, id}; the API's result is {id}. */
    public Map<String, Object> idResult(Map<String, Object> reply) {
        return ComponentCalls.idResult(reply);
    }

    private void task(ApiRequest r, Map<String, Object> body) {
        body.put("func", ApiParams.func(r));
        body.put("ip", ApiParams.ip(r));
        body.put("param", ApiParams.param(r));
        body.put("timeout", ApiParams.timeout(r, config.requireInt("elves.timeout")));
        body.put("mode", ApiParams.mode(r));
        body.put("proxy", r.get("proxy"));
    }

    private Map<String, Object> byQueueId(ApiRequest r, Exchange exchange, String func) {
        enabled();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", ApiParams.queueId(r));
        return ComponentCalls.call(exchange, "queue", func, ComponentCalls.withCaller(body, r));
    }

    private void enabled() {
        if (!config.requireBoolean("elves.openapi.queue.enabled")) {
            throw new ElvesException(ErrorCode.MODULE_QUEUE_DISABLED);
        }
    }
}

package org.elves.center.openapi;

import org.elves.protocol.ApiSignature;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /api/v2/cron/* (reference §3.4.6): the Cron component's call (reference §6.3: createCron,
 * startCron, stopCron, deleteCron, cronDetail, cronList) from a checked request. The routes
 * declare the parameters: /cron/add checks them in the order of the queue endpoints (403.3 app,
 * 403.7 func, 403.1 ip, 403.2 param, 403.8 timeout, 403.4 mode), then our cron ones (403.5
 * rule, 403.11 timezone, 403.12 side); a disabled cron module answers 402.2 before any of them.
 */
public class CronApi {

    /** createCron {ip, mode, app, func, param, timeout, proxy, rule, timezone, side, auth_id}. */
    public Map<String, Object> add(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ip", call.text("ip"));
        body.put("mode", call.text("mode"));
        body.put("app", call.text("app"));
        body.put("func", call.text("func"));
        body.put("param", call.text("param"));
        body.put("timeout", call.value("timeout"));
        body.put("proxy", call.text("proxy"));
        body.put("rule", call.text("rule"));
        body.put("timezone", call.text("timezone"));
        body.put("side", call.text("side"));
        body.put("auth_id", call.request().get(ApiSignature.AUTH_ID));
        return body;
    }

    /** startCron, stopCron, deleteCron, cronDetail: {id} and the caller. */
    public Map<String, Object> byCronId(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", call.text("cron_id"));
        return ApiCallers.withCaller(body, call);
    }

    /** cronList {ip}. */
    public Map<String, Object> list(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ip", call.text("ip"));
        return body;
    }
}

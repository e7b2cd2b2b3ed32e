package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.center.rpc.Replies;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /api/v2/cron/* (reference §3.4.6): a validated request becomes the Cron component's call
 * (reference §6.3: createCron, startCron, stopCron, deleteCron, cronDetail, cronList); its answer
 * becomes the reference's result shape. After the signature, a disabled cron module answers
 * 402.2 before any parameter is looked at. {@code add} checks its parameters in the order of the
 * queue endpoints (403.3 app, 403.7 func, 403.1 ip, 403.2 param, 403.8 timeout, 403.4 mode), then
 * our cron ones: 403.5 rule, 403.11 timezone, 403.12 side.
 */
public class CronApi {
    private final ElvesConfig config;

    public CronApi(ElvesConfig config) {
        this.config = config;
    }

    /** createCron {ip, mode, app, func, param, timeout, proxy, rule, timezone, side, auth_id}. */
    public Map<String, Object> add(ApiRequest r, Exchange exchange) {
        enabled();
        String app = ApiParams.app(r);
        String func = ApiParams.func(r);
        String ip = ApiParams.ip(r);
        String param = ApiParams.param(r);
        int timeout = ApiParams.timeout(r, config.requireInt("elves.timeout"));
        String mode = ApiParams.mode(r);
        String rule = ApiParams.cronRule(r);
        String timezone = ApiParams.timezone(r);
        String side = ApiParams.cronSide(r);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ip", ip);
        body.put("mode", mode);
        body.put("app", app);
        body.put("func", func);
        body.put("param", param);
        body.put("timeout", timeout);
        body.put("proxy", r.get("proxy"));
        body.put("rule", rule);
        body.put("timezone", timezone);
        body.put("side", side);
        body.put("auth_id", r.get(ApiSignature.AUTH_ID));
        return ComponentCalls.call(exchange, "cron", "createCron", body);
    }

    public Map<String, Object> start(ApiRequest r, Exchange exchange) {
        return byCronId(r, exchange, "startCron");
    }

    public Map<String, Object> stop(ApiRequest r, Exchange exchange) {
        return byCronId(r, exchange, "stopCron");
    }

    public Map<String, Object> delete(ApiRequest r, Exchange exchange) {
        return byCronId(r, exchange, "deleteCron");
    }

    /** /cron/detail and its alias /cron/info. */
    public Map<String, Object> detail(ApiRequest r, Exchange exchange) {
        return byCronId(r, exchange, "cronDetail");
    }

    /** cronList {ip}. */
    public Map<String, Object> list(ApiRequest r, Exchange exchange) {
        enabled();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ip", ApiParams.ip(r));
        return ComponentCalls.call(exchange, "cron", "cronList", body);
    }

    /** createX answers {flag, error, id}; the API's result is {id}. */
    public Map<String, Object> idResult(Map<String, Object> reply) {
        return ComponentCalls.idResult(reply);
    }

    /**
     * cronList answers {flag, error, result:[ids newest first], crons:[{id, app, ...}]}; the
     * API's result is the crons list. A Cron component that sends only the ids (the original's
     * answer) gives one {id} object per id, in its order.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> listResult(Map<String, Object> reply) {
        if (!Replies.isOk(reply)) {
            return reply;
        }
        if (reply.get("crons") instanceof List<?> crons) {
            return Replies.ok(crons);
        }
        List<Map<String, Object>> crons = new ArrayList<>();
        if (reply.get("result") instanceof List<?> ids) {
            for (Object id : ids) {
                Map<String, Object> cron = new LinkedHashMap<>();
                cron.put("id", id);
                crons.add(cron);
            }
        }
        return Replies.ok(crons);
    }

    private Map<String, Object> byCronId(ApiRequest r, Exchange exchange, String func) {
        enabled();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", ApiParams.cronId(r));
        return ComponentCalls.call(exchange, "cron", func, ComponentCalls.withCaller(body, r));
    }

    private void enabled() {
        if (!config.requireBoolean("elves.openapi.cron.enabled")) {
            throw new ElvesException(ErrorCode.MODULE_CRON_DISABLED);
        }
    }
}

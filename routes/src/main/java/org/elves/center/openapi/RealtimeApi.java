package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.center.rpc.RpcCodec;
import org.elves.config.ElvesConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** /api/v2/rt/exec: a validated request becomes the Scheduler's syncJob (reference §3.4.4). */
public class RealtimeApi {
    private final ElvesConfig config;

    public RealtimeApi(ElvesConfig config) {
        this.config = config;
    }

    /** Checks the parameters in the reference's order: app, func, ip, param, timeout. */
    public Map<String, Object> toSyncJob(ApiRequest request, Exchange exchange) {
        Map<String, Object> job = new LinkedHashMap<>();
        String app = ApiParams.app(request);
        String func = ApiParams.func(request);
        job.put("ip", ApiParams.ip(request));
        job.put("app", app);
        job.put("func", func);
        job.put("param", ApiParams.param(request));
        int timeout = ApiParams.timeout(request, config.requireInt("elves.timeout"));
        job.put("timeout", timeout);
        job.put("proxy", request.get("proxy"));
        exchange.setProperty(RpcCodec.FROM, "openapi");
        exchange.setProperty(RpcCodec.TO, "scheduler");
        exchange.setProperty(RpcCodec.FUNC, "syncJob");
        // the Scheduler answers by itself once the agent's time is up; this only guards a lost reply
        long waitMs = timeout == 0 ? 86_400_000L
                : timeout * 1000L + config.requireLong("elves.openapi.rt.reply-margin-ms");
        exchange.setProperty(RpcCodec.TIMEOUT_MS, waitMs);
        return job;
    }
}

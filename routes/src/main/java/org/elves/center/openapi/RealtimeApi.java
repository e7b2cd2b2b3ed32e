package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.center.rpc.RpcCodec;
import org.elves.config.ElvesConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** /api/v2/rt/exec: the Scheduler's syncJob from a checked request (reference §3.4.4). */
public class RealtimeApi {
    private final ElvesConfig config;

    public RealtimeApi(ElvesConfig config) {
        this.config = config;
    }

    /** syncJob {ip, app, func, param, timeout, proxy}; the reply is awaited for the task's time. */
    public Map<String, Object> syncJob(ApiCall call, Exchange exchange) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("ip", call.text("ip"));
        job.put("app", call.text("app"));
        job.put("func", call.text("func"));
        job.put("param", call.text("param"));
        int timeout = (Integer) call.value("timeout");
        job.put("timeout", timeout);
        job.put("proxy", call.text("proxy"));
        // the Scheduler answers by itself once the agent's time is up; this only guards a lost reply
        long waitMs = timeout == 0 ? 86_400_000L
                : timeout * 1000L + config.requireLong("elves.openapi.rt.reply-margin-ms");
        exchange.setProperty(RpcCodec.TIMEOUT_MS, waitMs);
        return job;
    }
}

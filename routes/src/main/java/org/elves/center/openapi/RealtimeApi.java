package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.center.common.TaskEvents;
import org.elves.center.rpc.RpcCodec;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.TaskIds;
import org.elves.config.ElvesConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** /api/v2/rt/exec: the Scheduler's syncJob from a checked request (reference §3.4.4). */
public class RealtimeApi {
    /** A chosen task id is claimed for this long: a repeat within it is [403.16]. */
    static final long TASK_ID_CLAIM_SECONDS = 7 * 86_400L;
    private final ElvesConfig config;
    private final SharedNonces claims;
    private final TaskEvents events;

    public RealtimeApi(ElvesConfig config) {
        this(config, null, TaskEvents.none());
    }

    /** {@code claims}: where a client's task id is claimed once among all OpenAPIs (null: not checked). */
    public RealtimeApi(ElvesConfig config, SharedNonces claims, TaskEvents events) {
        this.config = config;
        this.claims = claims;
        this.events = events;
    }

    /**
     * syncJob {id, ip, app, func, param, timeout, proxy}; the reply is awaited for the task's time.
     * The task is named here (the client's task_id, else a new id), so the Watcher hears of it from
     * its acceptance on.
     */
    public Map<String, Object> syncJob(ApiCall call, Exchange exchange) {
        String id = taskId(call);
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", id);
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
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", "rt");
        fields.put("mode", "NP");
        fields.put("agent_ip", job.get("ip"));
        fields.put("instruct", job.get("app"));
        fields.put("func", job.get("func"));
        fields.put("param", job.get("param"));
        fields.put("timeout", timeout);
        ApiKey key = call.request().key();
        fields.put("auth_id", key == null ? "" : key.authId());
        // accepted when the request came; authorised now that its signature and grants held (one message)
        fields.put("phases", Map.of("authorised", System.currentTimeMillis()));
        events.phase(id, "accepted", exchange.getClock().getCreated(), fields);
        return job;
    }

    private String taskId(ApiCall call) {
        Object chosen = call.value("task_id");
        if (!(chosen instanceof String id) || id.isEmpty()) {
            return TaskIds.next();
        }
        // an id once used is never run again: the agent would answer a repeat with the first run's result
        if (claims != null && !claims.claim("task", id, System.currentTimeMillis() / 1000 + TASK_ID_CLAIM_SECONDS)) {
            throw new ElvesException(ErrorCode.PARAM_TASK_ID, "task " + id + " was already started; choose a new id");
        }
        return id;
    }
}

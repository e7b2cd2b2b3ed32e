package org.elves.center.contract;

import org.elves.center.common.JobParams;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.elves.center.common.JobParams.text;

/**
 * An async task for the Scheduler to run on its agent (asyncJob cast, or a job of an asyncJobs
 * batch): sent by Queue (type queue, id = task id) and Cron (type cron, id = run id), whose id
 * the result carries back. {@code timeout} null: the Scheduler's default. Queue marks a re-send
 * of a running task ({@code resend}, and {@code unreachable} when its agent was last unreachable:
 * the Scheduler then says when it is reached again); Cron adds {@code fire_time} (epoch ms) to
 * measure how late a run went out. Those three are absent on the wire unless set.
 */
public record AsyncJob(String id, String ip, String type, String mode, String app, String func, String param,
                       Integer timeout, String proxy, boolean resend, boolean unreachable, Long fireTime) {
    public static final String QUEUE = "queue";
    public static final String CRON = "cron";
    private static final List<String> TYPES = List.of(QUEUE, CRON);

    /** A first send, neither a re-send nor fired by Cron. */
    public static AsyncJob of(String id, String ip, String type, String mode, String app, String func, String param,
                              Integer timeout, String proxy) {
        return new AsyncJob(id, ip, type, mode, app, func, param, timeout, proxy, false, false, null);
    }

    /** The same task sent again; {@code unreachable}: its agent could not be reached last time. */
    public AsyncJob resent(boolean agentUnreachable) {
        return new AsyncJob(id, ip, type, mode, app, func, param, timeout, proxy, true, agentUnreachable, fireTime);
    }

    /** A cron run, due at this time. */
    public AsyncJob firedAt(long fireTimeMs) {
        return new AsyncJob(id, ip, type, mode, app, func, param, timeout, proxy, resend, unreachable, fireTimeMs);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", id);
        job.put("ip", ip);
        job.put("type", type);
        job.put("mode", mode);
        job.put("app", app);
        job.put("func", func);
        job.put("param", param);
        job.put("timeout", timeout);
        job.put("proxy", proxy);
        if (resend) {
            job.put("resend", true);
        }
        if (unreachable) {
            job.put("unreachable", true);
        }
        if (fireTime != null) {
            job.put("fire_time", fireTime);
        }
        return job;
    }

    /**
     * Mode upper case ("NP" when blank), type lower case.
     *
     * @throws ElvesException naming the field: [400.1] no id or a type other than queue or cron
     *                        (the reference has no code for them), [403.1] ip, [403.4] mode,
     *                        [403.3] app, [403.7] func, [403.8] timeout
     */
    public static AsyncJob fromMap(Map<String, Object> body) {
        String id = text(body.get("id"));
        if (id.isEmpty()) {
            throw new ElvesException(ErrorCode.REQUEST_MALFORMED, "id is required");
        }
        String ip = JobParams.required(body, "ip", ErrorCode.PARAM_IP);
        String type = text(body.get("type")).toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new ElvesException(ErrorCode.REQUEST_MALFORMED,
                    "type must be queue or cron, got '" + text(body.get("type")) + "'");
        }
        String mode = JobParams.mode(body.get("mode"));
        String app = JobParams.required(body, "app", ErrorCode.PARAM_APP);
        String func = JobParams.required(body, "func", ErrorCode.PARAM_FUNC);
        Integer timeout = text(body.get("timeout")).isEmpty() ? null : JobParams.timeoutSeconds(body.get("timeout"), 0);
        Long fireTime = body.get("fire_time") instanceof Number n ? n.longValue() : null;
        return new AsyncJob(id, ip, type, mode, app, func, text(body.get("param")), timeout, text(body.get("proxy")),
                flag(body.get("resend")), flag(body.get("unreachable")), fireTime);
    }

    private static boolean flag(Object value) {
        return Boolean.parseBoolean(text(value));
    }
}

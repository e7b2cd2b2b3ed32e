package org.elves.center.supervisor;

import org.bson.Document;
import org.elves.center.common.JobParams;
import org.elves.center.rpc.Replies;
import org.elves.protocol.ElvesTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static org.elves.center.common.JobParams.text;

/** Every change the Supervisor makes, with its actor: written by the admin functions, read by audit. */
public class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final SupervisorStore store;
    private final LongSupplier clock;

    public AuditLog(SupervisorStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    /** admin: the latest entries, newest first ({@code limit}, 1 to 1000, 100 by default). */
    public Map<String, Object> audit(Map<String, Object> body) {
        int limit = Math.max(1, Math.min(1000, JobParams.timeoutSeconds(body.get("limit"), 100)));
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Document e : store.audit(limit)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("time", ElvesTime.format(e.get("time", 0L)));
            for (String field : List.of("actor", "action", "target", "detail")) {
                entry.put(field, e.getString(field));
            }
            entries.add(entry);
        }
        return Replies.ok(entries);
    }

    /** A change by the body's actor. */
    void record(Map<String, Object> body, String action, String target, String detail) {
        String actor = text(body.get("actor"));
        store.audit(new Document("time", clock.getAsLong()).append("actor", actor).append("action", action)
                .append("target", target).append("detail", detail));
        LOG.info("audit: {} {} {} ({})", actor, action, target, detail);
    }
}

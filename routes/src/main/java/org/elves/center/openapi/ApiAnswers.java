package org.elves.center.openapi;

import org.elves.center.rpc.Replies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A component's answer as the API's result (an endpoint route's {@code answer}); failures pass through. */
public class ApiAnswers {

    /** The component answers in the reference's shape already. */
    public Map<String, Object> reply(Map<String, Object> reply) {
        return reply;
    }

    /** A component's {flag, error, id} (createQueue, createCron) as the API's {flag, error, result:{id}}. */
    public Map<String, Object> idResult(Map<String, Object> reply) {
        if (!Replies.isOk(reply)) {
            return reply;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", reply.get("id"));
        return Replies.ok(result);
    }

    /**
     * cronList answers {flag, error, result:[ids newest first], crons:[{id, app, ...}]}; the
     * API's result is the crons list. A Cron component that sends only the ids (the original's
     * answer) gives one {id} object per id, in its order.
     */
    public Map<String, Object> cronList(Map<String, Object> reply) {
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
}

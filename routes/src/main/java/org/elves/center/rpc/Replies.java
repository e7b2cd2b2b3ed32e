package org.elves.center.rpc;

import java.util.LinkedHashMap;
import java.util.Map;

/** The answer bodies of rpc handlers, in the reference's {flag, error, result} shape. */
public final class Replies {
    private Replies() {
    }

    public static Map<String, Object> ok(Object result) {
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put("flag", "true");
        m.put("error", "");
        if (result != null) {
            m.put("result", result);
        }
        return m;
    }

    public static Map<String, Object> failure(String error) {
        Map<String, Object> m = new LinkedHashMap<>(2);
        m.put("flag", "false");
        m.put("error", error);
        return m;
    }

    public static boolean isOk(Map<String, Object> reply) {
        return reply != null && "true".equals(String.valueOf(reply.get("flag")));
    }
}

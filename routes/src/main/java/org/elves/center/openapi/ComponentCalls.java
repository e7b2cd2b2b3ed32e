package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.center.rpc.Replies;
import org.elves.center.rpc.RpcCodec;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the API's bookkeeping endpoints (queue, cron) share: the rpc.call they make and the id answer. */
final class ComponentCalls {
    private ComponentCalls() {
    }

    /** Addresses the exchange's rpc.call to {@code component}'s {@code func}; the body is returned as it is. */
    static Map<String, Object> call(Exchange exchange, String component, String func, Map<String, Object> body) {
        exchange.setProperty(RpcCodec.FROM, "openapi");
        exchange.setProperty(RpcCodec.TO, component);
        exchange.setProperty(RpcCodec.FUNC, func);
        return body;
    }

    /** The verified caller into the body, for the component's ownership check (Ownership). */
    static Map<String, Object> withCaller(Map<String, Object> body, ApiRequest request) {
        ApiKey key = request.key();
        if (key != null) {
            org.elves.center.common.Ownership.put(body, key.authId(), key.admin());
        }
        return body;
    }

    /** A component's {flag, error, id} as the API's {flag, error, result:{id}}; failures pass through. */
    static Map<String, Object> idResult(Map<String, Object> reply) {
        if (!Replies.isOk(reply)) {
            return reply;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", reply.get("id"));
        return Replies.ok(result);
    }
}

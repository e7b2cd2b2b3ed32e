package org.elves.center.openapi;

import org.elves.center.common.Ownership;

import java.util.Map;

/** The verified caller in a component's call body, for the component's ownership check (Ownership). */
final class ApiCallers {
    private ApiCallers() {
    }

    static Map<String, Object> withCaller(Map<String, Object> body, ApiCall call) {
        ApiKey key = call.request().key();
        if (key != null) {
            Ownership.put(body, key.authId(), key.admin());
        }
        return body;
    }
}

package org.elves.center.openapi;

import java.util.Map;

/**
 * A verified request with its declared parameters checked ({@link ApiEndpoints#check}): what an
 * endpoint's bean builds the component's call from.
 *
 * @param request the verified request (its key, the signing fields)
 * @param values  each declared parameter's value, checked and normalized, by its wire name
 */
public record ApiCall(ApiRequest request, Map<String, Object> values) {

    /** The declared parameter's value as text ("" when absent). */
    public String text(String name) {
        Object value = values.get(name);
        return value == null ? "" : String.valueOf(value);
    }

    /** The declared parameter's value as checked (an Integer timeout, a Boolean flag, ...). */
    public Object value(String name) {
        return values.get(name);
    }
}

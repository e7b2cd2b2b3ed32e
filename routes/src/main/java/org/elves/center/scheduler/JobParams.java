package org.elves.center.scheduler;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.Map;

/** Reading the fields of a syncJob/asyncJob body, with the reference's codes for bad ones. */
final class JobParams {
    private JobParams() {
    }

    static String required(Map<String, Object> body, String key, ErrorCode code) {
        String value = text(body.get(key));
        if (value.isEmpty()) {
            throw new ElvesException(code, key + " is required");
        }
        return value;
    }

    static String text(Object value) {
        return value == null ? "" : String.valueOf(value).trim();
    }

    /** Whole seconds, 0 or more; blank means the default. */
    static int timeoutSeconds(Object value, int defaultSeconds) {
        String text = text(value);
        if (text.isEmpty()) {
            return defaultSeconds;
        }
        try {
            int t = Integer.parseInt(text);
            if (t < 0) {
                throw new NumberFormatException();
            }
            return t;
        } catch (NumberFormatException e) {
            throw new ElvesException(ErrorCode.PARAM_TIMEOUT, "timeout must be whole seconds, got " + text);
        }
    }
}

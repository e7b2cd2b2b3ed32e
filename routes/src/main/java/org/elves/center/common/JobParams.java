package org.elves.center.common;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.Map;

/** Reading the fields of an rpc body (syncJob, asyncJob, addTask), with the reference's codes for bad ones. */
public final class JobParams {
    private JobParams() {
    }

    public static String required(Map<String, Object> body, String key, ErrorCode code) {
        String value = text(body.get(key));
        if (value.isEmpty()) {
            throw new ElvesException(code, key + " is required");
        }
        return value;
    }

    public static String text(Object value) {
        return value == null ? "" : String.valueOf(value).trim();
    }

    /** Whole seconds, 0 or more; blank means the default. */
    public static int timeoutSeconds(Object value, int defaultSeconds) {
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

    /** "P" or "NP" (any case); blank means "NP", the reference's default. */
    public static String mode(Object value) {
        String mode = text(value).toUpperCase(java.util.Locale.ROOT);
        if (mode.isEmpty()) {
            return "NP";
        }
        if (!mode.equals("P") && !mode.equals("NP")) {
            throw new ElvesException(ErrorCode.PARAM_MODE, "mode must be P or NP, got '" + text(value) + "'");
        }
        return mode;
    }
}

package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /api/v2/admin/* (ours; admin keys only, enforced by ApiGuard): the Supervisor's call with the
 * route's declared parameters and the caller's auth_id as the audit's actor. An upload's body is
 * the package; its sha256 parameter, covered by the signature, must match it (the Supervisor checks).
 */
public class AdminApi {
    /** Exchange property: a request's raw non-form body (an upload's zip), kept by the guard. */
    public static final String UPLOAD = "ElvesUpload";

    /**
     * The declared parameters by name, and the caller as actor. The key a key action is about
     * comes as {@code key_id} (the caller's own {@code auth_id} signs the request) and goes to
     * the Supervisor as its {@code auth_id}.
     */
    public Map<String, Object> body(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        call.values().forEach((name, value) -> body.put(name.equals("key_id") ? "auth_id" : name, value));
        body.put("actor", call.request().get(ApiSignature.AUTH_ID));
        return body;
    }

    /** appUpload: the declared parameters and the request's body, the zip, as base64 data. */
    public Map<String, Object> upload(ApiCall call, Exchange exchange) {
        byte[] data = exchange.getProperty(UPLOAD, byte[].class);
        if (data == null || data.length == 0) {
            throw new ElvesException(ErrorCode.PARAM_PACKAGE, "the request body (the zip) is empty");
        }
        Map<String, Object> body = body(call);
        body.put("data", Base64.getEncoder().encodeToString(data));
        return body;
    }
}

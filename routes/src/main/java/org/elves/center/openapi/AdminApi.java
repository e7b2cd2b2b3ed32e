package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /api/v2/admin/* (ours; admin keys only, enforced by ApiGuard): each request becomes the
 * Supervisor's function of the same name with the request's parameters and the caller's auth_id
 * as the audit's actor. An upload's body is the package; its sha256 parameter, covered by the
 * signature, must match it (the Supervisor checks).
 */
public class AdminApi {
    /** Exchange property: an upload's raw body, kept before the guard parses the request. */
    public static final String UPLOAD = "ElvesUpload";

    public Map<String, Object> appCreate(ApiRequest r, Exchange e) {
        return call(r, e, "appCreate", "app", "name", "processor");
    }

    public Map<String, Object> appUpload(ApiRequest r, Exchange e) {
        byte[] data = e.getProperty(UPLOAD, byte[].class);
        if (data == null || data.length == 0) {
            throw new ElvesException(ErrorCode.PARAM_PACKAGE, "the request body (the zip) is empty");
        }
        Map<String, Object> body = call(r, e, "appUpload", "app", "version", "sha256");
        body.put("data", Base64.getEncoder().encodeToString(data));
        return body;
    }

    public Map<String, Object> appOnline(ApiRequest r, Exchange e) {
        return call(r, e, "appOnline", "app", "version");
    }

    public Map<String, Object> appDeploy(ApiRequest r, Exchange e) {
        return call(r, e, "appDeploy", "app", "agents");
    }

    public Map<String, Object> appList(ApiRequest r, Exchange e) {
        return call(r, e, "appList");
    }

    public Map<String, Object> appStatus(ApiRequest r, Exchange e) {
        return call(r, e, "appStatus", "app");
    }

    public Map<String, Object> keyCreate(ApiRequest r, Exchange e) {
        return call(r, e, "keyCreate", "name", "strong_only", "admin");
    }

    public Map<String, Object> keyGrant(ApiRequest r, Exchange e) {
        return call(r, e, "keyGrant", "auth_id_target", "app", "agents");
    }

    public Map<String, Object> keyRevoke(ApiRequest r, Exchange e) {
        return call(r, e, "keyRevoke", "auth_id_target", "app");
    }

    public Map<String, Object> keyRotate(ApiRequest r, Exchange e) {
        return call(r, e, "keyRotate", "auth_id_target");
    }

    public Map<String, Object> keyList(ApiRequest r, Exchange e) {
        return call(r, e, "keyList");
    }

    public Map<String, Object> audit(ApiRequest r, Exchange e) {
        return call(r, e, "audit", "limit");
    }

    /**
     * The Supervisor's body: the named parameters, and the caller as actor. The key a key action
     * is about comes as {@code key_id} (the caller's own {@code auth_id} signs the request).
     */
    private static Map<String, Object> call(ApiRequest r, Exchange e, String func, String... params) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (String p : params) {
            if (p.equals("auth_id_target")) {
                body.put("auth_id", r.get("key_id"));
            } else {
                body.put(p, r.get(p));
            }
        }
        body.put("actor", r.get(ApiSignature.AUTH_ID));
        return ComponentCalls.call(e, "supervisor", func, body);
    }
}

package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the reference's response envelope {flag, error, result}. The HTTP status follows the
 * error code (401.5 → 401, 414.1 → 414, ...) unless elves.openapi.http-status=always-200 asks for
 * the original's "always 200" for old clients; the body is the same either way.
 */
public class ApiResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ApiResponses.class);
    private final ElvesConfig config;

    public ApiResponses(ElvesConfig config) {
        this.config = config;
    }

    public String render(Map<String, Object> reply, Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>(4);
        boolean ok = "true".equals(String.valueOf(reply.get("flag")));
        body.put("flag", ok ? "true" : "false");
        body.put("error", ok ? "" : String.valueOf(reply.getOrDefault("error", ErrorCode.INTERNAL.text())));
        if (reply.containsKey("result")) {
            body.put("result", reply.get("result"));
        }
        int status = 200;
        if (!ok) {
            ErrorCode code = ErrorCode.ofText(String.valueOf(body.get("error")));
            status = code == null ? 500 : code.httpStatus();
        }
        return write(exchange, status, body);
    }

    /** Nothing when the flow streamed its answer itself (null body), else as {@link #render}. */
    @SuppressWarnings("unchecked")
    public Object stream(Object body, Exchange exchange) {
        if (body == null) {
            return null;
        }
        return render((Map<String, Object>) body, exchange);
    }

    /** Any failure on the way: a coded error as such, anything else as [500] with its message. */
    public String renderFailure(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ElvesException coded = cause instanceof ElvesException e ? e : null;
        if (coded == null) {
            LOG.error("API request failed", cause);
            coded = new ElvesException(ErrorCode.INTERNAL, cause == null ? "" : cause.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>(2);
        body.put("flag", "false");
        body.put("error", coded.getMessage());
        return write(exchange, coded.code().httpStatus(), body);
    }

    private String write(Exchange exchange, int status, Map<String, Object> body) {
        exchange.getMessage().removeHeaders("*");
        boolean always200 = "always-200".equals(config.require("elves.openapi.http-status"));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, always200 ? 200 : status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        return Json.text(body);
    }
}

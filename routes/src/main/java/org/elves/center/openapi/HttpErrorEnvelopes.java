package org.elves.center.openapi;

import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.CamelContextHelper;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where a request Camel never gets to see is answered in the reference's envelope
 * instead of Vert.x's bare 500 or HTML 404. platform-http decodes the query (for headers) and a
 * form body before the route runs, and Vert.x normalizes the path to match routes; a broken
 * percent-escape, a control character or an oversized form fails there and reaches only the
 * router's failure handler. Paths no route serves reach the router's last route.
 *
 * <p>Nothing of the request goes into the answer's headers: whatever Camel had already put on the
 * response (it copies message headers, which include the query parameters) is cleared.
 */
final class HttpErrorEnvelopes implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorEnvelopes.class);

    /** Installs the handlers once the HTTP server's router exists (after the context started). */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        // bound under a name with the port in it; the one server of this process is the one router
        Router router = CamelContextHelper.findSingleByType(context, VertxPlatformHttpRouter.class);
        if (router == null) {
            LOG.warn("no platform-http router: malformed requests get Vert.x's own answers");
            return;
        }
        install(router);
    }

    static void install(Router router) {
        // a route without a path: matching it never normalizes the path that may be what failed
        router.route().failureHandler(HttpErrorEnvelopes::failed);
        router.route().last().handler(ctx -> unrouted(router, ctx));
    }

    private static void failed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        boolean tooLarge = ctx.statusCode() == 413 || isSizeLimit(failure);
        LOG.debug("malformed request refused: {}", String.valueOf(failure));
        if (tooLarge) {
            answer(ctx, ErrorCode.REQUEST_TOO_LARGE, "a form field, the number of form fields or the body is over the limit");
        } else {
            answer(ctx, ErrorCode.REQUEST_MALFORMED,
                    "the path, query or body cannot be decoded (broken percent-escape, invalid UTF-8 or a control character)");
        }
    }

    /** No route for this path and method: 405.1 when the path exists for other methods, else 404.1. */
    private static void unrouted(Router router, RoutingContext ctx) {
        String path = ctx.request().path();
        for (Route route : router.getRoutes()) {
            if (!route.isRegexPath() && path != null && path.equals(route.getPath())) {
                answer(ctx, ErrorCode.METHOD_NOT_ALLOWED, "the API answers GET and POST");
                return;
            }
        }
        answer(ctx, ErrorCode.PATH_NOT_FOUND, "no such path");
    }

    private static boolean isSizeLimit(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpPostRequestDecoder.TooManyFormFieldsException
                    || t instanceof HttpPostRequestDecoder.TooLongFormFieldException
                    || (t instanceof IOException && String.valueOf(t.getMessage()).contains("exceed"))) {
                return true;
            }
        }
        return false;
    }

    private static void answer(RoutingContext ctx, ErrorCode code, String detail) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            // too late for an answer of ours: the client has a status already
            if (!response.closed()) {
                response.close();
            }
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>(2);
        body.put("flag", "false");
        body.put("error", code.text(detail));
        response.headers().clear();
        response.setStatusCode(code.httpStatus())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Json.text(body));
    }
}

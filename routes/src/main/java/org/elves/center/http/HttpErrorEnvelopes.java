package org.elves.center.http;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where a request Camel never gets to see is answered in the reference's envelope
 * instead of Vert.x's bare 400/500 or HTML 404. Netty refuses a request line or header block it
 * cannot parse (the server's invalid-request handler); Vert.x Web fails a path it cannot normalize
 * or match (the router's error handlers); platform-http decodes the query and a form body before
 * the route runs (the router's failure handler); paths no route serves reach the router's last route.
 *
 * <p>Nothing of the request goes into the answer's headers: whatever Camel had already put on the
 * response (it copies message headers, which include the query parameters) is cleared.
 */
final class HttpErrorEnvelopes {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorEnvelopes.class);
    /** Every status Vert.x Web may end a request with by itself. */
    private static final List<Integer> ROUTER_STATUSES = List.of(400, 403, 404, 405, 406, 413, 414, 415, 431, 500, 501, 503);
    /** Before every route of Camel's consumers, whenever they are added. */
    private static final int FIRST = Integer.MIN_VALUE;

    private HttpErrorEnvelopes() {
    }

    static void install(Router router, HttpLimits limits) {
        // a route without a path: matching it never normalizes the path that may be what failed
        router.route().order(FIRST).handler(ctx -> refuseLargeBody(ctx, limits)).failureHandler(HttpErrorEnvelopes::failed);
        ROUTER_STATUSES.forEach(status -> router.errorHandler(status, HttpErrorEnvelopes::failed));
        router.route().last().handler(ctx -> unrouted(router, ctx));
    }

    /** A request Netty could not parse: no route, no context, only the connection to answer on. */
    static void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        LOG.debug("unparsable request refused: {}", String.valueOf(cause));
        if (cause instanceof TooLongFrameException) {
            answer(request.response(), ErrorCode.REQUEST_TOO_LARGE, "the request line or the headers are over the limit");
        } else {
            answer(request.response(), ErrorCode.REQUEST_MALFORMED,
                    "the request line or a header cannot be parsed (a control character, space or broken line end)");
        }
        // the connection's parser state is lost with the request: the client must reconnect
        request.connection().close();
    }

    /** Refused on its declared length, before the body handler buffers it. */
    private static void refuseLargeBody(RoutingContext ctx, HttpLimits limits) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && declaredOver(length, limits.bodyLimit(ctx.request().path()))) {
            answer(ctx.response(), ErrorCode.REQUEST_TOO_LARGE, "the body is over " + limits.bodyLimit(ctx.request().path()) + " bytes");
            // the unread body makes Vert.x keep the connection until it arrives: close it (flushed first)
            ctx.request().connection().close();
            return;
        }
        ctx.next();
    }

    private static boolean declaredOver(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Netty refuses a Content-Length it cannot read before this runs
        }
    }

    private static void failed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        LOG.debug("malformed request refused: {} {}", ctx.statusCode(), String.valueOf(failure));
        int status = ctx.statusCode();
        if (status == 404) {
            answer(ctx.response(), ErrorCode.PATH_NOT_FOUND, "no such path");
        } else if (status == 405) {
            answer(ctx.response(), ErrorCode.METHOD_NOT_ALLOWED, "the API answers GET and POST");
        } else if (status == 413 || status == 414 || status == 431 || isSizeLimit(failure)) {
            answer(ctx.response(), ErrorCode.REQUEST_TOO_LARGE, "a form field, the number of form fields or the body is over the limit");
        } else {
            answer(ctx.response(), ErrorCode.REQUEST_MALFORMED,
                    "the path, query, a header or the body cannot be decoded (broken percent-escape, invalid UTF-8 or a control character)");
        }
    }

    /** No route for this path and method: 405.1 when the path exists for other methods, else 404.1. */
    private static void unrouted(Router router, RoutingContext ctx) {
        String path = ctx.request().path();
        for (Route route : router.getRoutes()) {
            if (!route.isRegexPath() && path != null && path.equals(route.getPath())) {
                answer(ctx.response(), ErrorCode.METHOD_NOT_ALLOWED, "the API answers GET and POST");
                return;
            }
        }
        answer(ctx.response(), ErrorCode.PATH_NOT_FOUND, "no such path");
    }

    private static boolean isSizeLimit(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpPostRequestDecoder.TooManyFormFieldsException
                    || t instanceof HttpPostRequestDecoder.TooLongFormFieldException
                    || t instanceof TooLongFrameException
                    || (t instanceof IOException && String.valueOf(t.getMessage()).contains("exceed"))) {
                return true;
            }
        }
        return false;
    }

    private static void answer(HttpServerResponse response, ErrorCode code, String detail) {
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

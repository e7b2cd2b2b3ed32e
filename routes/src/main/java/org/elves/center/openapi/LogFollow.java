package org.elves.center.openapi;

import org.apache.camel.Exchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.ProducerTemplate;
import org.elves.center.rpc.Replies;
import org.elves.center.rpc.RpcCodec;
import org.elves.protocol.ErrorCode;

import java.util.Arrays;
import java.util.Map;

/**
 * /api/v2/logs/output: waits for the task to be recorded (a client may open the stream before it
 * starts the task), then answers its output as server-sent events ({@link LogStream}); a task
 * still unknown after {@code waitMs} is [404.2], one the key may not see [401.6], both in the
 * usual envelope because nothing was streamed yet.
 * <p>
 * The events are written to the Vert.x response by this request's thread, each as it comes, and
 * the response ended here: platform-http's own streaming of an InputStream body delivered nothing
 * before the stream's end (seen: a worker's first line shown only when it finished).
 */
public class LogFollow {
    /** Exchange property: the request's Vert.x response, kept by ApiGuard.check. */
    static final String RESPONSE = "ElvesHttpResponse";
    private final ProducerTemplate producer;
    private final long pollMs;
    private final long waitMs;

    public LogFollow(ProducerTemplate producer, long pollMs, long waitMs) {
        this.producer = producer;
        this.pollMs = pollMs;
        this.waitMs = waitMs;
    }

    /** The event stream, or a failure reply (rendered as the envelope). */
    @SuppressWarnings("unchecked")
    public Object open(ApiCall call, Exchange exchange) throws InterruptedException {
        long afterSeq = ((Number) call.value("after_seq")).longValue();
        long deadline = System.currentTimeMillis() + waitMs;
        while (true) {
            Map<String, Object> reply = ask(call, afterSeq);
            if (!Replies.isOk(reply)) {
                return reply;
            }
            if (Boolean.TRUE.equals(((Map<String, Object>) reply.get("result")).get("known"))) {
                LogStream events = new LogStream(reply, afterSeq, seq -> ask(call, seq), pollMs);
                HttpServerResponse response = exchange.getProperty(RESPONSE, HttpServerResponse.class);
                if (response == null) {
                    throw new IllegalStateException("/logs/output is served by platform-http on Vert.x only");
                }
                stream(events, response);
                return null;
            }
            if (System.currentTimeMillis() >= deadline) {
                return Replies.failure(ErrorCode.TASK_LOG_NOT_FOUND.text("no task " + call.value("task_id")
                        + " was recorded within " + waitMs + " ms"));
            }
            Thread.sleep(pollMs);
        }
    }

    /** Writes the events as they come until the stream ends or the follower goes away. */
    private static void stream(LogStream events, HttpServerResponse response) {
        response.setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache");
        byte[] chunk = new byte[8192];
        int n;
        while (!response.closed() && (n = events.read(chunk, 0, chunk.length)) > 0) {
            response.write(Buffer.buffer(Arrays.copyOf(chunk, n)));
        }
        if (!response.closed() && !response.ended()) {
            response.end();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> ask(ApiCall call, long afterSeq) {
        Exchange done = producer.send("direct:rpc-call", ex -> {
            ex.setProperty(RpcCodec.FROM, "openapi");
            ex.setProperty(RpcCodec.TO, "watcher");
            ex.setProperty(RpcCodec.FUNC, "output");
            ex.getMessage().setBody(LogsApi.output(call, afterSeq));
        });
        Object body = done.getMessage().getBody();
        return body instanceof Map<?, ?> map ? (Map<String, Object>) map : Replies.failure(ErrorCode.INTERNAL.text("no answer from the Watcher"));
    }
}

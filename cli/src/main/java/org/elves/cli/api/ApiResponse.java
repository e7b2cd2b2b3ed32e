package org.elves.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;

import java.io.IOException;
import java.util.Objects;

/**
 * What one OpenAPI call came to: either an answer in the reference envelope
 * {@code {"flag","error","result"}} (whatever the HTTP status: the server puts its errors in the
 * same envelope) or no answer at all, with the reason.
 */
public final class ApiResponse {
    private static final int SNIPPET_CHARS = 200;

    private final int httpStatus;
    private final boolean flag;
    private final String error;
    private final JsonNode result;
    private final String noAnswerReason;
    private final String body;

    private ApiResponse(int httpStatus, boolean flag, String error, JsonNode result, String noAnswerReason, String body) {
        this.httpStatus = httpStatus;
        this.body = body;
        this.flag = flag;
        this.error = error;
        this.result = result;
        this.noAnswerReason = noAnswerReason;
    }

    /** An answer: the envelope read from the body; a body that is no envelope becomes an error. */
    public static ApiResponse answer(int httpStatus, String body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body == null ? "" : body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject() || !root.has("flag")) {
            // e.g. a proxy's HTML error page: say what came back instead of failing to parse it
            return new ApiResponse(httpStatus, false,
                    "HTTP " + httpStatus + ", not an Elves API answer: " + snippet(body),
                    MissingNode.getInstance(), null, body);
        }
        boolean flag = "true".equalsIgnoreCase(root.path("flag").asText());
        String error = root.path("error").asText("");
        if (!flag && error.isEmpty()) {
            error = "HTTP " + httpStatus + ", flag false without an error text";
        }
        return new ApiResponse(httpStatus, flag, error, root.path("result"), null, body);
    }

    public static ApiResponse noAnswer(String reason) {
        return new ApiResponse(0, false, "", MissingNode.getInstance(), Objects.requireNonNull(reason), "");
    }

    /** The answer's body as it came ("" when there was no answer). */
    public String body() {
        return body == null ? "" : body;
    }

    /** Whether the API answered at all (even with an error). */
    public boolean answered() {
        return noAnswerReason == null;
    }

    /** flag "true": the API accepted and carried out the call. */
    public boolean ok() {
        return answered() && flag;
    }

    /** The envelope's flag as sent on the wire: "true"/"false", or null without an answer. */
    public String flag() {
        return answered() ? String.valueOf(flag) : null;
    }

    /** {@code [code]Value...} from the envelope, "" on success. */
    public String error() {
        return error;
    }

    /** The known code of the error text, or null (success, no code, or a code newer than us). */
    public ErrorCode errorCode() {
        return ErrorCode.ofText(error);
    }

    /** The envelope's result; a missing node (never null) when absent. */
    public JsonNode result() {
        return result;
    }

    /** A field of the result as text, or null when absent; numbers as their text ("1", "74"). */
    public String resultText(String field) {
        JsonNode node = result.path(field);
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    /** The HTTP status of the answer; 0 without an answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Why there was no answer (refused, timed out, ...), or null when there was one. */
    public String noAnswerReason() {
        return noAnswerReason;
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= SNIPPET_CHARS ? oneLine : oneLine.substring(0, SNIPPET_CHARS) + "...";
    }
}

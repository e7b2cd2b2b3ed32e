package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.elves.cli.api.ApiResponse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every answer the suite gets from the API, checked against the OpenAPI document the same center
 * serves: the path and method are described, the status is one the operation lists, and the body
 * is valid against that response's schema (JSON Schema 2020-12, as OpenAPI 3.1 writes it).
 */
final class OpenApiAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, OpenApiAnswers> BY_CENTER = new ConcurrentHashMap<>();

    private final JsonNode document;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private OpenApiAnswers(JsonNode document) {
        this.document = document;
    }

    /** The document of the center at {@code apiUrl}, read once per center. */
    static OpenApiAnswers of(String apiUrl) {
        return BY_CENTER.computeIfAbsent(apiUrl, OpenApiAnswers::read);
    }

    private static OpenApiAnswers read(String apiUrl) {
        try {
            HttpResponse<String> doc = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(apiUrl + "/api/v2/openapi.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (doc.statusCode() != 200) {
                throw new AssertionError("the center answers its document with " + doc.statusCode() + ": " + doc.body());
            }
            return new OpenApiAnswers(JSON.readTree(doc.body()));
        } catch (java.io.IOException e) {
            throw new AssertionError("the center's OpenAPI document cannot be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted reading the OpenAPI document", e);
        }
    }

    /** Fails when {@code answer} to {@code method path} is not what the document says it may be. */
    void check(String method, String path, ApiResponse answer) {
        if (!answer.answered()) {
            return; // no HTTP answer at all: nothing to hold against the document
        }
        String m = method.toLowerCase(Locale.ROOT);
        JsonNode operation = document.path("paths").path(path).path(m);
        if (operation.isMissingNode()) {
            throw new AssertionError(method + " " + path + " is not in the OpenAPI document");
        }
        String status = String.valueOf(answer.httpStatus());
        if (!operation.path("responses").has(status)) {
            throw new AssertionError(method + " " + path + " answered " + status + ", which the document does not list: "
                    + answer.body());
        }
        String pointer = "#/paths/" + escape(path) + "/" + m + "/responses/" + status + "/content/application~1json/schema";
        JsonSchema schema = schemas.computeIfAbsent(pointer, this::schemaAt);
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(method + " " + path + " answered no JSON: " + answer.body(), e);
        }
        Set<ValidationMessage> problems = schema.validate(body);
        if (!problems.isEmpty()) {
            throw new AssertionError(method + " " + path + " " + status + " does not match the document: " + problems
                    + " in " + answer.body());
        }
    }

    /** The document itself with a $ref to the response's schema at its root: its $refs resolve in place. */
    private JsonSchema schemaAt(String pointer) {
        ObjectNode root = document.deepCopy();
        root.put("$ref", pointer);
        return SCHEMAS.getSchema(root);
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }
}

package org.elves.center.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document as the routes declare it: complete, and clean to @redocly/cli's linter. */
class OpenApiDocumentTest {
    private final ElvesConfig config = Center.configFor(List.of(Component.OPENAPI)).build();
    private final DeclaredEndpoints routes = new DeclaredEndpoints(config);

    @AfterEach
    void close() {
        config.close();
    }

    private JsonNode document() throws Exception {
        return new ObjectMapper().readTree(Json.text(new ApiDocument(config).document(routes.all(), "127.0.0.1:8080")));
    }

    @Test
    void everyEndpointIsDescribedWithItsParametersCodesAndOperationIds() throws Exception {
        JsonNode doc = document();
        assertEquals(routes.all().size(), doc.get("paths").size());
        Set<String> operationIds = new HashSet<>();
        for (ApiEndpoint endpoint : routes.all()) {
            JsonNode item = doc.get("paths").get("/api/v2" + endpoint.path());
            for (String method : endpoint.methods()) {
                JsonNode op = item.get(method.toLowerCase(java.util.Locale.ROOT));
                assertTrue(operationIds.add(op.get("operationId").asText()), "operation ids are unique: " + op.get("operationId"));
                assertFalse(op.get("summary").asText().isBlank(), endpoint.path());
                assertTrue(op.get("responses").has("200") && op.get("responses").has("401"), endpoint.path());
            }
        }
        JsonNode queueAdd = doc.get("paths").get("/api/v2/queue/addtask").get("get");
        JsonNode queueId = parameter(queueAdd, "queue_id");
        assertTrue(queueId.get("required").asBoolean());
        assertEquals("^([0-9A-Fa-f]{16})$", queueId.get("schema").get("pattern").asText());
        assertEquals(config.requireInt("elves.timeout"), parameter(queueAdd, "timeout").get("schema").get("default").asInt());
        assertTrue(queueAdd.get("responses").get("412").get("description").asText().contains("[412.4]Depend Task Not Found"));
        assertTrue(queueAdd.get("responses").get("402").get("description").asText().contains("[402.3]"));
        JsonNode formPost = doc.get("paths").get("/api/v2/queue/addtask").get("post").get("requestBody")
                .get("content").get("application/x-www-form-urlencoded").get("schema");
        assertTrue(formPost.get("required").toString().contains("\"queue_id\""), formPost.toString());
        assertFalse(doc.get("paths").get("/api/v2/admin/app/upload").has("get"), "an upload is POST only");
        assertEquals("apiKey", doc.get("components").get("securitySchemes").get("elvesSignature").get("type").asText());
    }

    @Test
    void theDocumentPassesRedoclyLint() throws Exception {
        Path redocly = Path.of(System.getProperty("elves.redocly", "../build/tools/node_modules/.bin/redocly"));
        assertTrue(Files.isExecutable(redocly), redocly + " is missing: scripts/setup-debian.sh --for-tests installs it");
        Path file = Files.createTempFile("openapi", ".json");
        try {
            Files.writeString(file, document().toPrettyString());
            ProcessBuilder lint = new ProcessBuilder(redocly.toString(), "lint", "--format=stylish", file.toString())
                    .redirectErrorStream(true);
            lint.environment().put("REDOCLY_TELEMETRY", "off");
            lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
            Process process = lint.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertEquals(0, process.waitFor(), output);
            assertTrue(output.contains("Woohoo") || !output.contains("error"), output);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static JsonNode parameter(JsonNode operation, String name) {
        for (JsonNode p : operation.get("parameters")) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        throw new AssertionError(name + " not among " + operation.get("parameters"));
    }
}

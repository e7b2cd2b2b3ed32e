package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * /api/v2/openapi.json: an OpenAPI 3.1 document written from the endpoints the running routes
 * declare ({@link ApiEndpoints#declared}) and the parameter catalogue ({@link ApiParameter}),
 * so it says what this center checks and answers. Written here rather than by camel-openapi-java:
 * the REST DSL's parameters carry no pattern, its operations no codes, and it lists every path
 * once per method.
 */
public class ApiDocument {
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String SIGNATURE = "elvesSignature";
    private static final Map<String, String> TAGS = tags();
    /** What any signed call may answer, whatever it declares. */
    private static final Set<ErrorCode> EVERY_CALL = EnumSet.of(
            ErrorCode.REQUEST_MALFORMED, ErrorCode.REQUEST_TOO_LARGE, ErrorCode.PARAM_REPEATED,
            ErrorCode.MISSING_SIGN_PARAM, ErrorCode.SIGN_TYPE_ILLEGAL, ErrorCode.SIGN_LENGTH_ILLEGAL,
            ErrorCode.TIMESTAMP_ILLEGAL, ErrorCode.SIGN_TIMEOUT, ErrorCode.AUTH_ID_NOT_FOUND,
            ErrorCode.SIGN_ERROR, ErrorCode.NONCE_REPLAYED, ErrorCode.PERMISSION_DENIED,
            ErrorCode.INTERNAL, ErrorCode.COMPONENT_TIMEOUT, ErrorCode.NONCE_CACHE_FULL, ErrorCode.BROKER_UNAVAILABLE);

    private final ElvesConfig config;

    public ApiDocument(ElvesConfig config) {
        this.config = config;
    }

    /** The document for the endpoints running now (a route edited live is described as it is). */
    public String serve(Exchange exchange) {
        String host = exchange.getMessage().getHeader("Host", String.class);
        String body = Json.text(document(ApiEndpoints.declared(exchange.getContext()), host));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        return body;
    }

    Map<String, Object> document(List<ApiEndpoint> endpoints, String host) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", info());
        doc.put("servers", List.of(Map.of("url", host == null || host.isBlank() ? "/" : "http://" + host,
                "description", "This center")));
        doc.put("security", List.of(Map.of(SIGNATURE, List.of())));
        List<Map<String, Object>> tags = new ArrayList<>();
        TAGS.forEach((name, description) -> {
            if (endpoints.stream().anyMatch(e -> e.tag().equals(name))) {
                tags.add(Map.of("name", name, "description", description));
            }
        });
        doc.put("tags", tags);
        Map<String, Object> paths = new LinkedHashMap<>();
        for (ApiEndpoint endpoint : endpoints) {
            Map<String, Object> item = new LinkedHashMap<>();
            if (endpoint.methods().contains("GET")) {
                item.put("get", operation(endpoint, false));
            }
            if (endpoint.methods().contains("POST")) {
                item.put("post", operation(endpoint, true));
            }
            paths.put("/api/v2" + endpoint.path(), item);
        }
        doc.put("paths", paths);
        doc.put("components", components());
        return doc;
    }

    private static Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("title", "Elves OpenAPI");
        info.put("version", "v2");
        info.put("description", "The signed REST entry of an Elves center (docs/api.md). Every endpoint answers GET and "
                + "POST (parameters in the query or a form body) with the envelope {flag, error, result}: flag is the "
                + "text \"true\" or \"false\", error \"\" or \"[code]Text: detail\" with a code of the reference's table. "
                + "The HTTP status follows the code (403.1 answers 403) unless the center runs with "
                + "elves.openapi.http-status=always-200 for original clients.");
        info.put("license", Map.of("name", "Apache-2.0", "identifier", "Apache-2.0"));
        return info;
    }

    private Map<String, Object> operation(ApiEndpoint endpoint, boolean post) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", post ? endpoint.operation() + "ByPost" : endpoint.operation());
        op.put("summary", endpoint.summary());
        op.put("description", description(endpoint, post));
        op.put("tags", List.of(endpoint.tag()));
        List<Object> parameters = new ArrayList<>();
        boolean form = post && endpoint.payload().isEmpty();
        if (!form) {
            for (String name : signingFields()) {
                parameters.add(Map.of("$ref", "#/components/parameters/" + name));
            }
            for (ApiEndpoint.Declared d : endpoint.params()) {
                parameters.add(parameter(d));
            }
        }
        op.put("parameters", parameters);
        if (form) {
            op.put("requestBody", Map.of("required", true, "content", Map.of(FORM, Map.of("schema", formSchema(endpoint)))));
        } else if (post) {
            op.put("requestBody", Map.of("required", true, "description", "The package",
                    "content", Map.of(endpoint.payload(), Map.of("schema", Map.of("type", "string", "contentMediaType", endpoint.payload())))));
        }
        op.put("responses", responses(endpoint));
        return op;
    }

    private static String description(ApiEndpoint endpoint, boolean post) {
        StringBuilder text = new StringBuilder(endpoint.summary()).append('.');
        if (!endpoint.call().isEmpty()) {
            text.append(" Calls ").append(endpoint.call()).append(" (rpc.call).");
        }
        if (post && endpoint.payload().isEmpty()) {
            text.append(" The parameters may also come in the query; each name once.");
        }
        if (!endpoint.payload().isEmpty()) {
            text.append(" The signed parameters come in the query, the body is ").append(endpoint.payload()).append('.');
        }
        return text.toString();
    }

    private Map<String, Object> parameter(ApiEndpoint.Declared d) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", d.parameter().wireName());
        p.put("in", "query");
        p.put("required", d.required());
        p.put("description", d.parameter().description());
        p.put("schema", d.parameter().schema(config));
        return p;
    }

    private Map<String, Object> formSchema(ApiEndpoint endpoint) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (String name : signingFields()) {
            Map<String, Object> field = signingField(name);
            properties.put(name, withDescription((Map<?, ?>) field.get("schema"), (String) field.get("description")));
            if (Boolean.TRUE.equals(field.get("required"))) {
                required.add(name);
            }
        }
        for (ApiEndpoint.Declared d : endpoint.params()) {
            properties.put(d.parameter().wireName(), withDescription(d.parameter().schema(config), d.parameter().description()));
            if (d.required()) {
                required.add(d.parameter().wireName());
            }
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return schema;
    }

    private static Map<String, Object> withDescription(Map<?, ?> schema, String description) {
        Map<String, Object> described = new LinkedHashMap<>();
        schema.forEach((k, v) -> described.put(String.valueOf(k), v));
        described.put("description", description);
        return described;
    }

    /** One response per HTTP status the endpoint can answer, its description listing the codes. */
    private static Map<String, Object> responses(ApiEndpoint endpoint) {
        Set<ErrorCode> codes = EnumSet.copyOf(EVERY_CALL);
        if (!endpoint.module().isEmpty()) {
            codes.add(ApiEndpoints.moduleOff(endpoint.module()));
        }
        for (ApiEndpoint.Declared d : endpoint.params()) {
            if (d.parameter().code() != null) {
                codes.add(d.parameter().code());
            }
        }
        for (String code : endpoint.codes()) {
            codes.add(byCode(code));
        }
        Map<Integer, List<ErrorCode>> byStatus = new TreeMap<>();
        for (ErrorCode code : codes) {
            byStatus.computeIfAbsent(code.httpStatus(), s -> new ArrayList<>()).add(code);
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", Map.of("description", "Done: flag \"true\", error \"\" and the result",
                "content", Map.of(JSON, Map.of("schema", Map.of("$ref", "#/components/schemas/Success")))));
        byStatus.forEach((status, list) -> {
            List<String> texts = list.stream().map(ErrorCode::text).toList();
            Map<String, Object> failure = new LinkedHashMap<>();
            failure.put("type", "object");
            failure.put("allOf", List.of(Map.of("$ref", "#/components/schemas/Failure")));
            failure.put("properties", Map.of("error", Map.of("type", "string",
                    "pattern", "^\\[(" + String.join("|", list.stream().map(c -> c.code().replace(".", "\\.")).toList()) + ")\\]")));
            responses.put(String.valueOf(status), Map.of("description", String.join("; ", texts),
                    "content", Map.of(JSON, Map.of("schema", failure))));
        });
        return responses;
    }

    private static ErrorCode byCode(String code) {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.code().equals(code)) {
                return c;
            }
        }
        throw new IllegalArgumentException("an API route declares the unknown code " + code);
    }

    private static List<String> signingFields() {
        return List.of(ApiSignature.AUTH_ID, ApiSignature.TIMESTAMP, ApiSignature.SIGN_TYPE, ApiSignature.SIGN, ApiSignature.NONCE);
    }

    private static Map<String, Object> signingField(String name) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("in", "query");
        switch (name) {
            case ApiSignature.AUTH_ID -> {
                p.put("required", true);
                p.put("description", "The key's id");
                p.put("schema", Map.of("type", "string"));
            }
            case ApiSignature.TIMESTAMP -> {
                p.put("required", true);
                p.put("description", "Unix seconds of signing; refused outside the center's window (401.7)");
                p.put("schema", Map.of("type", "string", "pattern", "^[0-9]{1,12}$"));
            }
            case ApiSignature.SIGN_TYPE -> {
                p.put("required", true);
                p.put("description", "hmac-sha256, or md5 (the reference's; a strong-only key refuses it)");
                p.put("schema", Map.of("type", "string", "enum", List.of(ApiSignature.HMAC_SHA256, ApiSignature.MD5)));
            }
            case ApiSignature.SIGN -> {
                p.put("required", true);
                p.put("description", "The signature: lower-case hex, 64 characters for hmac-sha256, 32 for md5 (docs/api.md \"Signing\")");
                p.put("schema", Map.of("type", "string", "pattern", "^[0-9a-f]{32}([0-9a-f]{32})?$"));
            }
            default -> {
                p.put("required", false);
                p.put("description", "hmac-sha256 only, and required with it: a random value used once within the window");
                p.put("schema", Map.of("type", "string", "minLength", ApiSignature.NONCE_MIN, "maxLength", ApiSignature.NONCE_MAX));
            }
        }
        return p;
    }

    private static Map<String, Object> components() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (String name : signingFields()) {
            parameters.put(name, signingField(name));
        }
        Map<String, Object> schemas = new LinkedHashMap<>();
        schemas.put("Success", Map.of("type", "object", "required", List.of("flag", "error"),
                "properties", Map.of("flag", Map.of("type", "string", "const", "true"),
                        "error", Map.of("type", "string", "const", ""),
                        "result", Map.of("description", "What the endpoint answers (docs/api.md)"))));
        schemas.put("Failure", Map.of("type", "object", "required", List.of("flag", "error"),
                "properties", Map.of("flag", Map.of("type", "string", "const", "false"),
                        "error", Map.of("type", "string", "pattern", "^\\[[0-9]{3}(\\.[0-9]+)?\\]",
                                "description", "[code]Text of the reference's table, then \": detail\" when there is one"))));
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("securitySchemes", Map.of(SIGNATURE, Map.of("type", "apiKey", "in", "query", "name", ApiSignature.SIGN,
                "description", "Every call carries auth_id, timestamp, sign_type and sign (and nonce with hmac-sha256): "
                        + "sign is computed over the path and the other parameters with the key's secret, as docs/api.md "
                        + "\"Signing\" and the reference §3.2 describe.")));
        components.put("parameters", parameters);
        components.put("schemas", schemas);
        return components;
    }

    private static Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("realtime", "Run a task and wait for its result (reference §3.4.4)");
        tags.put("info", "Apps and agents the key may use (reference §3.4.1-3)");
        tags.put("queue", "Queued tasks with dependencies (reference §3.4.5)");
        tags.put("cron", "Tasks on a schedule, fired by the center or the agent (reference §3.4.6)");
        tags.put("admin", "Apps, versions, deployments, keys and grants; admin keys only");
        return tags;
    }
}

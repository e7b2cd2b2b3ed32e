package org.elves.center.openapi;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.elves.config.ElvesConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's endpoints as the OpenAPI YAML routes declare them, read into a Camel context that is
 * never started (no HTTP server, no beans): the same declarations the running center checks.
 */
final class DeclaredEndpoints {
    private static final List<String> FILES = List.of("openapi-endpoint", "openapi-rt-exec", "openapi-info",
            "openapi-queue", "openapi-cron", "openapi-admin", "openapi-logs");

    private final Map<String, ApiEndpoint> byPath = new LinkedHashMap<>();
    private final ApiEndpoints endpoints;

    DeclaredEndpoints(ElvesConfig config) {
        endpoints = new ApiEndpoints(config);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            for (String file : FILES) {
                PluginHelper.getRoutesLoader(camel).loadRoutes(PluginHelper.getResourceLoader(camel)
                        .resolveResource("classpath:org/elves/center/openapi/" + file + ".camel.yaml"));
            }
            for (ApiEndpoint endpoint : ApiEndpoints.declared(camel)) {
                byPath.put(endpoint.path(), endpoint);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the OpenAPI routes", e);
        }
    }

    List<ApiEndpoint> all() {
        return List.copyOf(byPath.values());
    }

    ApiEndpoint at(String path) {
        ApiEndpoint endpoint = byPath.get(path);
        if (endpoint == null) {
            throw new AssertionError("no endpoint declares " + path + "; declared: " + byPath.keySet());
        }
        return endpoint;
    }

    /** A signed-as {@code auth_id=1} request to {@code path}, checked as its route checks it. */
    ApiCall check(String path, Map<String, String> params) {
        return endpoints.check(new ApiRequest("/api/v2" + path, params), at(path));
    }
}

package org.elves.center.openapi;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's endpoints as their routes declare them. An endpoint's route hands its declaration
 * to {@link #check} on every request (exchange properties set by the template), so what is
 * checked is what the route says; {@link #declared} reads the same declarations back from the
 * routes for the OpenAPI document.
 */
public class ApiEndpoints {
    /** Exchange property: the endpoint's declared parameters ("app!, func!, ip!, param"). */
    public static final String PARAMS = "ElvesApiParams";
    /** Exchange property: the module switch the endpoint needs ("queue", "cron") or "". */
    public static final String MODULE = "ElvesApiModule";
    /** The template parameter only API endpoint templates have. */
    private static final String OPERATION = "operation";

    private final ElvesConfig config;
    private final Map<String, List<ApiEndpoint.Declared>> parsed = new ConcurrentHashMap<>();

    public ApiEndpoints(ElvesConfig config) {
        this.config = config;
    }

    /**
     * The module switch, then each declared parameter in its order (the reference's order of
     * codes); the first bad one answers its code and nothing is called.
     */
    public ApiCall check(ApiRequest request, Exchange exchange) {
        String declaration = exchange.getProperty(PARAMS, "", String.class);
        return check(request, exchange.getProperty(MODULE, "", String.class),
                parsed.computeIfAbsent(declaration, ApiEndpoint::declared));
    }

    /** As a request to {@code endpoint} is checked. */
    public ApiCall check(ApiRequest request, ApiEndpoint endpoint) {
        return check(request, endpoint.module(), endpoint.params());
    }

    private ApiCall check(ApiRequest request, String module, List<ApiEndpoint.Declared> declared) {
        if (!module.isEmpty()) {
            moduleEnabled(module);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ApiEndpoint.Declared d : declared) {
            values.put(d.parameter().wireName(), d.parameter().value(request, d.required(), config));
        }
        return new ApiCall(request, Collections.unmodifiableMap(values));
    }

    /** Every endpoint the running routes declare, in the order of their routes. */
    public static List<ApiEndpoint> declared(CamelContext camel) {
        List<ApiEndpoint> endpoints = new ArrayList<>();
        for (RouteDefinition route : camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()) {
            Map<String, Object> template = route.getTemplateParameters();
            if (template != null && template.containsKey(OPERATION)) {
                endpoints.add(ApiEndpoint.of(template));
            }
        }
        return endpoints;
    }

    /** The code a call of a switched-off module answers. */
    static ErrorCode moduleOff(String module) {
        return switch (module) {
            case "queue" -> ErrorCode.MODULE_QUEUE_DISABLED;
            case "cron" -> ErrorCode.MODULE_CRON_DISABLED;
            default -> throw new IllegalArgumentException("unknown API module '" + module + "' (queue, cron)");
        };
    }

    private void moduleEnabled(String module) {
        boolean enabled = switch (module) {
            case "queue" -> config.requireBoolean("elves.openapi.queue.enabled");
            case "cron" -> config.requireBoolean("elves.openapi.cron.enabled");
            default -> throw new IllegalArgumentException("unknown API module '" + module + "' (queue, cron)");
        };
        if (!enabled) {
            throw new ElvesException(moduleOff(module));
        }
    }
}

package org.elves.center.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One endpoint as its route declares it (template {@code api-endpoint} or {@code api-flow}):
 * what the OpenAPI document says about it and what {@link ApiEndpoints} checks.
 *
 * @param path      below /api/v2, e.g. /queue/addtask
 * @param operation the operation id of its GET (readable, e.g. addQueueTask)
 * @param summary   one line for the document
 * @param tag       its group in the document (realtime, info, queue, cron, admin)
 * @param methods   GET,POST or POST
 * @param params    its parameters, checked in this order
 * @param module    the module switch it needs (queue, cron) or ""
 * @param call      where it goes, component.function, or "" when its flow decides
 * @param codes     the codes the component it calls may answer, beyond the parameters'
 * @param payload   the content type of a POST body that is not the form (application/zip) or ""
 */
public record ApiEndpoint(String path, String operation, String summary, String tag, List<String> methods,
                          List<Declared> params, String module, String call, List<String> codes, String payload) {

    /** A declared parameter: {@code name!} is required. */
    public record Declared(ApiParameter parameter, boolean required) {
    }

    /** The endpoint of a route made from an API template, from its template parameters. */
    static ApiEndpoint of(Map<String, Object> template) {
        String component = text(template, "component");
        String call = component.isEmpty() ? "" : component + "." + text(template, "function");
        return new ApiEndpoint(text(template, "path"), text(template, "operation"), text(template, "summary"),
                text(template, "tag"), list(text(template, "methods")), declared(text(template, "params")),
                text(template, "module"), call, list(text(template, "codes")), text(template, "payload"));
    }

    /** "queue_id!, func!, ip!, param, timeout": the parameters in checking order. */
    static List<Declared> declared(String params) {
        List<Declared> declared = new ArrayList<>();
        for (String name : list(params)) {
            boolean required = name.endsWith("!");
            declared.add(new Declared(ApiParameter.named(required ? name.substring(0, name.length() - 1) : name), required));
        }
        return List.copyOf(declared);
    }

    private static List<String> list(String commaList) {
        List<String> items = new ArrayList<>();
        for (String item : commaList.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }

    private static String text(Map<String, Object> template, String name) {
        Object value = template.get(name);
        return value == null ? "" : String.valueOf(value).trim();
    }
}

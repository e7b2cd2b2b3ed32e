package org.elves.center.contract;

import org.elves.center.common.AgentSet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Supervisor's deployments, published for the Heartbeat (deployTable): {apps:[{app, version,
 * sha256, size, url, agents}], managed:[app]}, the apps deployed with the agents (categories
 * resolved) that get them, and every app the Supervisor decides the placement of. The Heartbeat
 * answers each agent from it what to install and which of its apps it must drop.
 */
public record Deployments(List<Map<String, Object>> apps, Set<String> managed) {

    /** {app: {version, url, sha256, size}} of the apps deployed to this agent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> packagesFor(String ip) {
        Map<String, Object> packages = new LinkedHashMap<>();
        for (Map<String, Object> app : apps) {
            if (AgentSet.matches((List<String>) app.get("agents"), ip)) {
                Map<String, Object> pkg = new LinkedHashMap<>();
                for (String field : List.of("version", "url", "sha256", "size")) {
                    pkg.put(field, app.get(field));
                }
                packages.put(String.valueOf(app.get("app")), pkg);
            }
        }
        return packages;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("apps", apps);
        table.put("managed", List.copyOf(managed));
        return table;
    }

    /** A deployed app is managed even when the body lists no "managed" (an older Supervisor's). */
    @SuppressWarnings("unchecked")
    public static Deployments fromMap(Map<String, Object> body) {
        List<Map<String, Object>> apps = body.get("apps") instanceof List<?> list
                ? List.copyOf((List<Map<String, Object>>) list) : List.of();
        Set<String> managed = new LinkedHashSet<>();
        apps.forEach(app -> managed.add(String.valueOf(app.get("app"))));
        if (body.get("managed") instanceof List<?> names) {
            names.forEach(name -> managed.add(String.valueOf(name)));
        }
        return new Deployments(apps, Collections.unmodifiableSet(managed));
    }
}

package org.elves.center.heartbeat;

import org.elves.center.common.AgentSet;
import org.elves.center.common.PolledTable;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Supervisor's deployments as heartbeat answers need them (route heartbeat-deployments):
 * apps [{app, version, sha256, size, url, agents}] and managed [app], the apps the Supervisor
 * decides the placement of. Until the Supervisor first answered, nothing is known and answers
 * keep the simple mode's behaviour, so agents never drop apps because the Supervisor is away
 * (reference G46).
 */
public class DeployTable extends PolledTable<DeployTable.Deployments> {
    public DeployTable() {
        super("app deployments");
    }

    /** The table: the deployed apps, and the names of every app the Supervisor manages. */
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
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Deployments parse(Map<String, Object> result) {
        List<Map<String, Object>> apps = result.get("apps") instanceof List<?> list
                ? List.copyOf((List<Map<String, Object>>) list) : List.of();
        // a deployed app is managed even when the Supervisor's answer has no "managed" list
        Set<String> managed = new LinkedHashSet<>();
        apps.forEach(app -> managed.add(String.valueOf(app.get("app"))));
        if (result.get("managed") instanceof List<?> names) {
            names.forEach(name -> managed.add(String.valueOf(name)));
        }
        return new Deployments(apps, Set.copyOf(managed));
    }

    /** {app: {version, url, sha256, size}} of the apps deployed to this agent; null while unknown. */
    public Map<String, Object> packagesFor(String ip) {
        Deployments table = value();
        return table == null ? null : table.packagesFor(ip);
    }
}

package org.elves.center.heartbeat;

import org.elves.center.common.AgentSet;
import org.elves.center.common.PolledTable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Supervisor's deployments as heartbeat answers need them (route heartbeat-deployments):
 * [{app, version, sha256, size, url, agents}]. Until the Supervisor first answered, nothing is
 * known and answers keep the simple mode's behaviour, so agents never drop apps because the
 * Supervisor is away (reference G46).
 */
public class DeployTable extends PolledTable<List<Map<String, Object>>> {
    public DeployTable() {
        super("app deployments");
    }

    @Override
    @SuppressWarnings("unchecked")
    protected List<Map<String, Object>> parse(Map<String, Object> result) {
        return result.get("apps") instanceof List<?> apps ? List.copyOf((List<Map<String, Object>>) apps) : List.of();
    }

    /** {app: {version, url, sha256, size}} of the apps deployed to this agent; null while unknown. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> packagesFor(String ip) {
        List<Map<String, Object>> apps = value();
        if (apps == null) {
            return null;
        }
        Map<String, Object> packages = new LinkedHashMap<>();
        for (Map<String, Object> app : apps) {
            List<String> agents = (List<String>) app.get("agents");
            if (AgentSet.matches(agents, ip)) {
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

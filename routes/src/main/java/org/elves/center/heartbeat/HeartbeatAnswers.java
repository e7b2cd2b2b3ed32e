package org.elves.center.heartbeat;

import org.elves.center.contract.Deployments;
import org.elves.config.ElvesConfig;
import org.elves.protocol.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a heartbeat is answered with: {"data":{"app":"version"}}, the apps the agent must run,
 * and {"crons": {version, crons}}, its agent-side crons ({@link AgentCronTable}).
 * Until the Supervisor distributes apps, that is the simple mode's configured list
 * (elves.heartbeat.local-app-info) or else exactly what the agent already has, so an answer
 * never makes an agent drop an app it runs (reference G46). In either mode {@code data} also
 * keeps the apps the agent reported that the center does not manage ({@link AgentAppList}),
 * since an original agent removes every app {@code data} leaves out.
 */
public class HeartbeatAnswers {
    private final ElvesConfig config;
    private final AgentCronTable crons;
    private final DeployTable deployments;

    public HeartbeatAnswers(ElvesConfig config, AgentCronTable crons, DeployTable deployments) {
        this.config = config;
        this.crons = crons;
        this.deployments = deployments;
    }

    /**
     * {"data": apps}; once the Supervisor told this Heartbeat its deployments, "packages": where
     * to get each app deployed here and its SHA-256 (our agents install from it alone; data
     * lists those apps and the agent's apps the Supervisor does not manage); once the Cron
     * component told it, "crons": the agent's list.
     */
    public String appsFor(AgentRegistry.AgentState state) {
        Map<String, Object> answer = new LinkedHashMap<>();
        Deployments table = deployments.value();
        if (table != null) {
            Map<String, Object> packages = table.packagesFor(state.ip());
            Map<String, Object> apps = new LinkedHashMap<>();
            packages.forEach((app, pkg) -> apps.put(app, ((Map<?, ?>) pkg).get("version")));
            answer.put("data", AgentAppList.data(apps, table.managed(), state.apps()));
            answer.put("packages", packages);
        } else {
            Map<String, Object> apps = config.optional("elves.heartbeat.local-app-info").map(Json::object)
                    .orElse(Map.of());
            answer.put("data", AgentAppList.data(apps, apps.keySet(), state.apps()));
        }
        Map<String, Object> agentCrons = crons.forIp(state.ip());
        if (agentCrons != null) {
            answer.put("crons", agentCrons);
        }
        return Json.text(answer);
    }
}

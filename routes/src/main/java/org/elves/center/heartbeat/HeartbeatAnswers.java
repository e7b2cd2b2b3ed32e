package org.elves.center.heartbeat;

import org.elves.center.heartbeat.AgentRegistry.AgentState;
import org.elves.config.ElvesConfig;
import org.elves.protocol.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a heartbeat is answered with: {"data":{"app":"version"}}, the apps the agent must run,
 * and {"crons": {version, crons}}, its agent-side crons ({@link AgentCronTable}).
 * Until the Supervisor distributes apps, that is the simple mode's configured list
 * (elves.heartbeat.local-app-info) or else exactly what the agent already has, so an answer
 * never makes an agent drop an app it runs (reference G46).
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
     * to get each app deployed here and its SHA-256 (data then lists exactly those apps); once the
     * Cron component told it, "crons": the agent's list.
     */
    public String appsFor(AgentState state) {
        Map<String, Object> answer = new LinkedHashMap<>();
        Map<String, Object> packages = deployments.packagesFor(state.ip());
        if (packages != null) {
            Map<String, Object> apps = new LinkedHashMap<>();
            packages.forEach((app, pkg) -> apps.put(app, ((Map<?, ?>) pkg).get("version")));
            answer.put("data", apps);
            answer.put("packages", packages);
        } else {
            String configured = config.get("elves.heartbeat.local-app-info", "");
            answer.put("data", configured.isBlank() ? state.apps() : Json.object(configured));
        }
        Map<String, Object> agentCrons = crons.forIp(state.ip());
        if (agentCrons != null) {
            answer.put("crons", agentCrons);
        }
        return Json.text(answer);
    }
}

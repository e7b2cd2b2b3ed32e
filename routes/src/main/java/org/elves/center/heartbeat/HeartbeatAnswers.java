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

    public HeartbeatAnswers(ElvesConfig config, AgentCronTable crons) {
        this.config = config;
        this.crons = crons;
    }

    /** {"data": apps} and, once the Cron component told this Heartbeat, "crons": the agent's list. */
    public String appsFor(AgentState state) {
        String configured = config.get("elves.heartbeat.local-app-info", "");
        Map<String, Object> apps = configured.isBlank() ? state.apps() : Json.object(configured);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("data", apps);
        Map<String, Object> agentCrons = crons.forIp(state.ip());
        if (agentCrons != null) {
            answer.put("crons", agentCrons);
        }
        return Json.text(answer);
    }
}

package org.elves.center.heartbeat;

import org.elves.center.heartbeat.AgentRegistry.AgentState;
import org.elves.config.ElvesConfig;
import org.elves.protocol.Json;

import java.util.Map;

/**
 * What a heartbeat is answered with: {"data":{"app":"version"}}, the apps the agent must run.
 * Until the Supervisor distributes apps, that is the simple mode's configured list
 * (elves.heartbeat.local-app-info) or else exactly what the agent already has, so an answer
 * never makes an agent drop an app it runs (reference G46).
 */
public class HeartbeatAnswers {
    private final ElvesConfig config;

    public HeartbeatAnswers(ElvesConfig config) {
        this.config = config;
    }

    public String appsFor(AgentState state) {
        String configured = config.get("elves.heartbeat.local-app-info", "");
        Map<String, Object> apps = configured.isBlank() ? state.apps() : Json.object(configured);
        return Json.text(Map.of("data", apps));
    }
}

package org.elves.center.heartbeat;

import org.elves.center.Component;
import org.elves.center.Center;
import org.elves.config.ElvesConfig;
import org.elves.protocol.Json;
import org.elves.protocol.thrift.AgentInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Heartbeat answers to an agent that speaks only the reference's fields (id, ip, version, apps):
 * its data keeps its hand-installed apps, while "packages" (read by our agents) lists only what
 * the Supervisor deploys to it.
 */
class HeartbeatAnswersTest {
    private static final String IP = "127.0.0.2";
    private final AgentRegistry registry = new AgentRegistry(() -> 0L, () -> 10_000L, () -> 3L);
    private final DeployTable deployments = new DeployTable();
    private ElvesConfig config;

    @AfterEach
    void close() {
        config.close();
    }

    private HeartbeatAnswers answers(Map<String, String> settings) {
        config = Center.configFor(List.of(Component.HEARTBEAT)).overrides(settings).build();
        return new HeartbeatAnswers(config, new AgentCronTable(), deployments);
    }

    private Map<String, Object> answer(HeartbeatAnswers answers, String apps) {
        return Json.object(answers.appsFor(registry.record(new AgentInfo("asset", IP, "0.4.3", apps))));
    }

    private void supervisorSays(Map<String, Object> table) {
        deployments.answered(Map.of("flag", "true", "error", "", "result", table));
    }

    private static Map<String, Object> deployed(String app, String version, String agent) {
        return Map.of("app", app, "version", version, "sha256", "ab".repeat(32), "size", 10,
                "url", "http://center/packages/" + app + "/" + version, "agents", List.of(agent));
    }

    @Test
    @SuppressWarnings("unchecked")
    void supervisedDataKeepsHandInstalledAppsAndLeavesOutRevokedOnes() {
        HeartbeatAnswers answers = answers(Map.of());
        supervisorSays(Map.of("version", "1", "changed", true,
                "apps", List.of(deployed("deployed", "2.0", IP), deployed("revoked", "1.0", "127.0.0.9")),
                "managed", List.of("deployed", "revoked", "idle")));
        Map<String, Object> answer = answer(answers,
                "{\"deployed\":\"1.0\",\"revoked\":\"1.0\",\"idle\":\"3\",\"handmade\":\"0.9\"}");
        assertEquals(Map.of("deployed", "2.0", "handmade", "0.9"), answer.get("data"));
        assertEquals(List.of("deployed"), List.copyOf(((Map<String, Object>) answer.get("packages")).keySet()));
    }

    @Test
    void aSupervisorWithoutAManagedListManagesWhatItDeploys() {
        HeartbeatAnswers answers = answers(Map.of());
        supervisorSays(Map.of("version", "1", "changed", true, "apps", List.of(deployed("revoked", "1.0", "127.0.0.9"))));
        assertEquals(Map.of("handmade", "0.9"),
                answer(answers, "{\"revoked\":\"1.0\",\"handmade\":\"0.9\"}").get("data"));
    }

    @Test
    void simpleModeListsTheConfiguredAppsAndKeepsTheAgentsOthers() {
        HeartbeatAnswers answers = answers(Map.of("elves.heartbeat.local-app-info", "{\"common\":\"1.1\"}"));
        assertEquals(Map.of("common", "1.1", "handmade", "0.9"),
                answer(answers, "{\"common\":\"1.0\",\"handmade\":\"0.9\"}").get("data"));
    }
}

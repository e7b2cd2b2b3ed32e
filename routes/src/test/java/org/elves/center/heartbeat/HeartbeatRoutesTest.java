package org.elves.center.heartbeat;

import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.elves.center.Component;
import org.elves.center.ComponentRoutes;
import org.elves.protocol.Envelope;
import org.elves.protocol.Json;
import org.elves.protocol.thrift.AgentInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.elves.center.ComponentRoutes.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Heartbeat's routes alone: agents beat (route heartbeat-received, where the Thrift receiver
 * hands a beat over), other components ask about them through rpc-serve as its inbox would, and
 * the tables heartbeat answers carry are polled from the Cron component and the Supervisor (their
 * rpc-call answered by a mock).
 */
@CamelMainTest(mockEndpointsAndSkip = ComponentRoutes.OUTGOING,
        replaceRouteFromWith = "heartbeat-inbox=direct:heartbeat-inbox-not-consuming")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeartbeatRoutesTest {
    private final ComponentRoutes heartbeat = new ComponentRoutes(Component.HEARTBEAT, Map.of(
            "elves.heartbeat.local-app-info", "{\"apptest\":\"1.0\"}",
            "elves.heartbeat.agent-crons-poll-ms", "100",
            "elves.heartbeat.deployments-poll-ms", "100"));
    /** What the Cron component answers to agentCronTable; a silent Cron until a test sets it. */
    private volatile Map<String, Object> cronAnswer = Map.of("flag", "false", "error", "[500.1]cron did not answer in time");

    @Configure
    void configure(MainConfigurationProperties main) {
        heartbeat.configure(main);
    }

    @BeforeEach
    void onlyTheCronComponentAnswersTheTablePolls() {
        heartbeat.answerCalls(called -> "cron".equals(called.to()) && "agentCronTable".equals(called.func())
                ? cronAnswer
                : Map.of("flag", "false", "error", "[500.1]" + called.to() + " did not answer in time"));
    }

    @Test
    void aBeatIsAnsweredWithTheAppsToRunAndMakesTheAgentOnlineForTheScheduler() {
        Map<String, Object> answer = beat("10.0.0.1", 11101, "{\"apptest\":\"0.9\",\"handmade\":\"2\"}");
        // simple mode: the configured apps, and the agent's own apps kept
        assertEquals(Map.of("apptest", "1.0", "handmade", "2"), answer.get("data"));

        Envelope reply = heartbeat.call("scheduler", "getStatByIp", Map.of("ip", "10.0.0.1"));
        assertEquals(true, reply.ok(), reply::toString);
        @SuppressWarnings("unchecked")
        Map<String, Object> stat = (Map<String, Object>) reply.body().get("result");
        assertEquals("10.0.0.1", stat.get("ip"));
        assertEquals("true", String.valueOf(stat.get("online")));
        assertEquals("11101", String.valueOf(stat.get("port")));
        assertEquals(Map.of("apptest", "0.9", "handmade", "2"), stat.get("apps"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiSeesOnlineAgentsTheirAppsAndCounts() {
        beat("10.0.1.1", 11101, "{\"listed\":\"1.0\"}");
        beat("10.0.1.2", 11101, "{\"listed\":\"1.1\",\"other\":\"3\"}");

        Map<String, Object> list = heartbeat.call("openapi", "agentList", Map.of("ip", "10.0.1.2")).body();
        assertEquals("true", list.get("flag"), list::toString);
        assertEquals(1, ((Number) list.get("count")).intValue());
        Map<String, Object> agent = ((List<Map<String, Object>>) list.get("result")).get(0);
        assertEquals("asset-10.0.1.2", agent.get("asset"));

        Map<String, Object> apps = (Map<String, Object>) heartbeat.call("openapi", "appList", Map.of()).body().get("result");
        Map<String, Object> listed = (Map<String, Object>) apps.get("listed");
        assertEquals(List.of("1.0", "1.1"), ((List<String>) listed.get("versions")).stream().sorted().toList());
        assertEquals(2, ((Number) listed.get("agents")).intValue());
        assertEquals(List.of("3"), ((Map<String, Object>) apps.get("other")).get("versions"));
    }

    @Test
    void anAgentNeverHeardFromIs4141AndAMalformedListQuestionIs4031() {
        Envelope unknown = heartbeat.call("openapi", "getInfoByIp", Map.of("ip", "10.9.9.9"));
        assertEquals("false", unknown.body().get("flag"));
        assertTrue(String.valueOf(unknown.body().get("error")).startsWith("[414.1]Agent Info Not Found"), unknown::toString);

        Envelope malformed = heartbeat.call("openapi", "getStatByIpList", Map.of("iplist", "10.0.0.1"));
        assertEquals("false", malformed.body().get("flag"));
        assertEquals("[403.1]Request Params (ip) Illegal: iplist must be a list of addresses", malformed.body().get("error"));
    }

    @Test
    void theCronComponentsAgentSideListsGoOutWithTheNextBeatOnceItAnswers() {
        String ip = "10.0.2.1";
        // Cron silent: the answer carries no list (the agent keeps its own)
        assertFalse(beat(ip, 11101, "{}").containsKey("crons"));

        Map<String, Object> list = Map.of("version", "v7", "crons", List.of(Map.of("id", "C1", "rule", "0 * * * * ?")));
        cronAnswer = Map.of("flag", "true", "error", "", "result",
                Map.of("version", "7", "changed", true, "table", Map.of(ip, list)));
        eventually("the table poll asks Cron again", () -> beat(ip, 11101, "{}").containsKey("crons"));

        assertEquals(list, beat(ip, 11101, "{}").get("crons"));
        // an agent absent from the table is told it has none
        @SuppressWarnings("unchecked")
        Map<String, Object> none = (Map<String, Object>) beat("10.0.2.2", 11101, "{}").get("crons");
        assertEquals(List.of(), none.get("crons"));
        // later polls send the version held, so Cron answers only what changed
        eventually("a poll with the version held", () -> heartbeat.calls().getReceivedExchanges().stream()
                .anyMatch(e -> "7".equals(((Map<?, ?>) e.getMessage().getBody(Map.class)).get("version"))));
    }

    private Map<String, Object> beat(String ip, int port, String apps) {
        AgentInfo info = new AgentInfo("asset-" + ip, ip, "0.4.3", apps);
        info.setPort(port);
        info.setInterval(10);
        return Json.object(heartbeat.template().requestBody("direct:heartbeat.received", info, String.class));
    }
}

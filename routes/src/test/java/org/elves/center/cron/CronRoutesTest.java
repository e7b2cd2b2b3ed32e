package org.elves.center.cron;

import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.elves.center.Component;
import org.elves.center.ComponentRoutes;
import org.elves.center.ComponentRoutes.Called;
import org.elves.center.contract.TaskResult;
import org.elves.protocol.Envelope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.elves.center.ComponentRoutes.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Cron component's routes alone, with its real Quartz tick (this instance leads: no
 * ZooKeeper, SoleInstanceClusterService): crons managed through rpc-serve as the OpenAPI calls
 * them, their runs cast to the Scheduler (a mock, which can also fail a cast as a lost broker
 * does), their results cast back. Every test aims at an agent of its own, so the runs of the
 * other tests' crons, fired by the same tick, do not mix in.
 */
@CamelMainTest(mockEndpointsAndSkip = ComponentRoutes.OUTGOING,
        replaceRouteFromWith = "cron-inbox=direct:cron-inbox-not-consuming",
        // the master endpoint's first start of the tick fails while the context starts and is retried
        // after this back-off (Camel's default: seconds)
        properties = "camel.component.master.back-off-delay=100")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CronRoutesTest {
    private static final String EVERY_SECOND = "* * * * * ?";
    private final ComponentRoutes cron = new ComponentRoutes(Component.CRON, Map.of());
    /** Agents whose batches the broker does not take. */
    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();

    @Configure
    void configure(MainConfigurationProperties main) {
        cron.configure(main);
    }

    @BeforeEach
    void castsReachTheSchedulerExceptForUnreachableAgents() {
        cron.casts().reset();
        cron.casts().whenAnyExchangeReceived(e -> {
            Object ip = e.getMessage().getBody(Map.class).get("ip");
            if (unreachable.contains(String.valueOf(ip))) {
                throw new IllegalStateException("AmqpConnectException: Connection refused");
            }
        });
    }

    @Test
    void aCenterCronFiresEachSecondAsAnAsyncJobsCastAndItsResultsFillItsHistory() {
        String ip = "10.2.0.1";
        String id = created(ip, EVERY_SECOND, "");
        Map<String, Object> batch = firstBatchFor(ip);
        @SuppressWarnings("unchecked")
        Map<String, Object> run = ((List<Map<String, Object>>) batch.get("jobs")).get(0);
        String runId = String.valueOf(run.get("id"));
        assertTrue(runId.startsWith(id + "@"), runId);
        assertEquals("cron", run.get("type"));
        assertEquals("apptest", run.get("app"));
        assertEquals("helloword", run.get("func"));

        cron.cast("scheduler", "cronResult", TaskResult.delivered(runId, "1", "hello", "3").toMap());

        Map<String, Object> ran = run(id, runId);
        assertEquals("true", ran.get("flag"));
        assertEquals("hello", ran.get("worker_message"));
        assertEquals("true", lastResult(id).get("flag"));
    }

    @Test
    void aRunTheBrokerDidNotTakeIsRecordedAsFailed5032() {
        String ip = "10.2.0.2";
        unreachable.add(ip);
        String id = created(ip, EVERY_SECOND, "");
        String runId = String.valueOf(firstRunId(ip));

        eventually("the failed cast recorded", () -> !run(id, runId).isEmpty());
        assertEquals("false", run(id, runId).get("flag"));
        assertEquals("[503.2]Message Broker Unavailable: run not cast to the scheduler for " + ip
                + ": AmqpConnectException: Connection refused", run(id, runId).get("error"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAgentSideCronIsPushedToItsAgentNotFiredAndListedForTheHeartbeat() {
        String ip = "10.2.0.3";
        String id = created(ip, EVERY_SECOND, "agent");

        List<Called> pushes = cron.cast().stream().filter(c -> "cronPush".equals(c.func())).toList();
        assertEquals(1, pushes.size(), pushes::toString);
        assertEquals("scheduler", pushes.get(0).to());
        assertEquals(ip, pushes.get(0).body().get("ip"));
        // the agent's whole list {version, crons}, as its heartbeat answers carry it too
        Map<String, Object> list = (Map<String, Object>) pushes.get(0).body().get("crons");
        List<Map<String, Object>> crons = (List<Map<String, Object>>) list.get("crons");
        assertEquals(List.of(id), crons.stream().map(c -> c.get("id")).toList());

        Map<String, Object> table = (Map<String, Object>) openApi("heartbeat", "agentCronTable", Map.of("version", ""))
                .get("result");
        assertEquals(true, table.get("changed"));
        assertEquals(list, ((Map<String, Object>) table.get("table")).get(ip));

        // stopping it pushes the agent an empty list; the tick never cast a run for it
        openApi("openapi", "stopCron", Map.of("id", id));
        List<Called> after = cron.cast().stream().filter(c -> ip.equals(c.body().get("ip"))).toList();
        assertEquals(List.of("cronPush", "cronPush"), after.stream().map(Called::func).toList());
        assertEquals(List.of(), ((Map<String, Object>) after.get(1).body().get("crons")).get("crons"));
    }

    @Test
    void malformedRulesUnknownCronsAndWrongSidesAreRefusedWithTheReferenceCodes() {
        String rule = String.valueOf(openApi("openapi", "createCron", cronBody("10.2.0.4", "every minute", "")).get("error"));
        assertTrue(rule.startsWith("[403.5]Request Params (cron-rule) Illegal"), rule);
        assertEquals("[403.12]Request Params (side) Illegal: side must be center or agent, got 'both'",
                openApi("openapi", "createCron", cronBody("10.2.0.4", EVERY_SECOND, "both")).get("error"));
        String unknown = String.valueOf(openApi("openapi", "stopCron", Map.of("id", "A49B1E8FA1B43BC5")).get("error"));
        assertTrue(unknown.startsWith("[411.1]Not Find Cron Job To Operate"), unknown);
    }

    private String created(String ip, String rule, String side) {
        Map<String, Object> created = openApi("openapi", "createCron", cronBody(ip, rule, side));
        assertEquals("true", created.get("flag"), created::toString);
        return String.valueOf(created.get("id"));
    }

    private static Map<String, Object> cronBody(String ip, String rule, String side) {
        Map<String, Object> body = new HashMap<>(Map.of("ip", ip, "app", "apptest", "func", "helloword", "rule", rule));
        if (!side.isEmpty()) {
            body.put("side", side);
        }
        return body;
    }

    private Map<String, Object> openApi(String from, String func, Map<String, Object> body) {
        Envelope reply = cron.call(from, func, body);
        assertTrue(reply.ok(), reply::toString);
        return reply.body();
    }

    /** The first asyncJobs batch the tick cast for this agent (within a few seconds). */
    private Map<String, Object> firstBatchFor(String ip) {
        eventually("a run for " + ip, () -> batchFor(ip).isPresent());
        Called batch = batchFor(ip).orElseThrow();
        assertEquals("scheduler.asyncJobs", batch.to() + "." + batch.func());
        return batch.body();
    }

    private Object firstRunId(String ip) {
        return ((List<?>) firstBatchFor(ip).get("jobs")).stream().map(j -> ((Map<?, ?>) j).get("id")).findFirst().orElseThrow();
    }

    private Optional<Called> batchFor(String ip) {
        return cron.cast().stream().filter(c -> "asyncJobs".equals(c.func()) && ip.equals(c.body().get("ip"))).findFirst();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> detail(String id) {
        return (Map<String, Object>) openApi("openapi", "cronDetail", Map.of("id", id)).get("result");
    }

    /** The run in the cron's history, or an empty map while it has none. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> run(String id, String runId) {
        return ((List<Map<String, Object>>) detail(id).get("history")).stream()
                .filter(r -> runId.equals(r.get("run_id"))).findFirst().orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> lastResult(String id) {
        return (Map<String, Object>) detail(id).get("last_exec_result");
    }
}

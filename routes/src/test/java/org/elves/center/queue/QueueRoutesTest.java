package org.elves.center.queue;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Queue's routes alone: the OpenAPI's calls and the Scheduler's result casts through
 * rpc-serve as the inbox hands them over; what the Queue casts to the Scheduler (asyncJob,
 * cancelJobs) is taken by a mock. The sweep is kept out of the way (a long period), so every cast
 * seen here is a handler's.
 */
@CamelMainTest(mockEndpointsAndSkip = ComponentRoutes.OUTGOING,
        replaceRouteFromWith = "queue-inbox=direct:queue-inbox-not-consuming")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueRoutesTest {
    private static final String AGENT = "10.1.0.1";
    private final ComponentRoutes queue = new ComponentRoutes(Component.QUEUE, Map.of("elves.queue.sweep-ms", "600000"));

    @Configure
    void configure(MainConfigurationProperties main) {
        queue.configure(main);
    }

    @BeforeEach
    void noCastYet() {
        queue.casts().reset();
    }

    @Test
    void aCommittedQueueSendsOnlyItsTasksWithoutParentAndAResultReleasesTheChild() {
        String queueId = created();
        String parent = added(queueId, AGENT, "");
        String child = added(queueId, AGENT, parent);
        assertEquals("true", openApi("commitQueue", Map.of("id", queueId)).get("flag"));

        List<Called> sent = queue.cast();
        assertEquals(1, sent.size(), sent::toString);
        assertAsyncJob(sent.get(0), parent);

        queue.casts().reset();
        queue.cast("scheduler", "taskResult", TaskResult.delivered(parent, "1", "done", "5").toMap());
        sent = queue.cast();
        assertEquals(1, sent.size(), sent::toString);
        assertAsyncJob(sent.get(0), child);
        Map<String, Object> records = result(queueId);
        assertEquals("finish", record(records, parent).get("status"));
        assertEquals("done", record(records, parent).get("worker_message"));
        assertEquals("running", record(records, child).get("status"));
    }

    @Test
    void aFailedParentSkipsItsChildWhichIsNeverSent() {
        String queueId = created();
        String parent = added(queueId, AGENT, "");
        String child = added(queueId, AGENT, parent);
        openApi("commitQueue", Map.of("id", queueId));
        queue.casts().reset();

        queue.cast("scheduler", "taskResult", TaskResult.failed(parent, "[414.2]Agent Offline: " + AGENT).toMap());

        assertEquals(List.of(), queue.cast());
        Map<String, Object> skipped = record(result(queueId), child);
        assertEquals("stopped", skipped.get("status"));
        assertEquals("true", skipped.get("skipped"));
        assertEquals("[412.3]Stop Task Error: skipped: depend task " + parent + " failed", skipped.get("error"));
    }

    @Test
    void stoppingAQueueCancelsItsRunningTasksOnTheirAgentsAndStopsTheOthers() {
        String queueId = created();
        String running = added(queueId, AGENT, "");
        String elsewhere = added(queueId, "10.1.0.2", "");
        String waiting = added(queueId, AGENT, running);
        openApi("commitQueue", Map.of("id", queueId));
        queue.casts().reset();

        Map<String, Object> stopped = openApi("stopQueue", Map.of("id", queueId));

        assertEquals("true", stopped.get("flag"), stopped::toString);
        assertEquals(Map.of(running, "running", elsewhere, "running", waiting, "stopped"), stopped.get("result"));
        List<Called> cancels = queue.cast();
        assertEquals(2, cancels.size(), cancels::toString);
        for (Called cancel : cancels) {
            assertEquals("scheduler.cancelJobs", cancel.to() + "." + cancel.func());
        }
        assertEquals(Map.of(AGENT, List.of(running), "10.1.0.2", List.of(elsewhere)),
                Map.of(cancels.get(0).body().get("ip"), cancels.get(0).body().get("ids"),
                        cancels.get(1).body().get("ip"), cancels.get(1).body().get("ids")));
    }

    @Test
    void malformedAndMisplacedRequestsAreRefusedWithTheReferenceCodes() {
        assertEquals("[403.6]Request Params (queue_id) Illegal: not a queue id: q-1",
                openApi("addTask", task("q-1", AGENT, "")).get("error"));
        String queueId = created();
        assertEquals("[412.2]Queue Status Incorrect: queue " + queueId + " has no task",
                openApi("commitQueue", Map.of("id", queueId)).get("error"));
        assertEquals("[412.4]Depend Task Not Found: no task 0123456789ABCDEF in queue " + queueId,
                openApi("addTask", task(queueId, AGENT, "0123456789ABCDEF")).get("error"));
        added(queueId, AGENT, "");
        openApi("commitQueue", Map.of("id", queueId));
        String late = String.valueOf(openApi("addTask", task(queueId, AGENT, "")).get("error"));
        assertTrue(late.startsWith("[412.2]Queue Status Incorrect: queue " + queueId + " is running"), late);
    }

    @Test
    void aQuickQueueIsOneTaskSentAtOnce() {
        Map<String, Object> body = new HashMap<>(task(null, AGENT, ""));
        body.put("app", "apptest");
        Map<String, Object> ids = openApi("quickQueue", body);
        assertEquals("true", ids.get("flag"), ids::toString);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) ids.get("result");
        List<Called> sent = queue.cast();
        assertEquals(1, sent.size(), sent::toString);
        assertAsyncJob(sent.get(0), String.valueOf(result.get("task_id")));
    }

    private static void assertAsyncJob(Called cast, String taskId) {
        assertEquals("scheduler.asyncJob", cast.to() + "." + cast.func());
        assertEquals(taskId, cast.body().get("id"));
        assertEquals("queue", cast.body().get("type"));
        assertEquals("apptest", cast.body().get("app"));
        assertEquals("helloword", cast.body().get("func"));
    }

    private Map<String, Object> openApi(String func, Map<String, Object> body) {
        Envelope reply = queue.call("openapi", func, body);
        assertTrue(reply.ok(), reply::toString);
        return reply.body();
    }

    private String created() {
        return String.valueOf(openApi("createQueue", Map.of("app", "apptest")).get("id"));
    }

    private String added(String queueId, String ip, String dependsOn) {
        Map<String, Object> added = openApi("addTask", task(queueId, ip, dependsOn));
        assertEquals("true", added.get("flag"), added::toString);
        return String.valueOf(added.get("id"));
    }

    private static Map<String, Object> task(String queueId, String ip, String dependsOn) {
        Map<String, Object> body = new HashMap<>(Map.of("ip", ip, "func", "helloword", "param", "{\"n\":1}",
                "timeout", "10", "depend_task_id", dependsOn));
        if (queueId != null) {
            body.put("id", queueId);
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> result(String queueId) {
        return (Map<String, Object>) openApi("queueResult", Map.of("id", queueId)).get("result");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(Map<String, Object> records, String taskId) {
        return (Map<String, Object>) records.get(taskId);
    }
}

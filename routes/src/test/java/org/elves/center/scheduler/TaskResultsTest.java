package org.elves.center.scheduler;

import org.elves.center.contract.TaskResult;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TaskResultsTest {

    @Test
    void anAgentsReportHasTheReferenceShapeWithNumbersAsText() {
        Reinstruct done = new Reinstruct(new Instruct().setId("0123456789abcdef"), -1, 1500, "app exec timeout");
        assertEquals(Map.of("flag", "true", "error", "", "result", Map.of("id", "0123456789abcdef",
                "worker_flag", "-1", "worker_message", "app exec timeout", "worker_costtime", "1500")),
                TaskResults.delivered(done));
    }

    @Test
    void aFailureNamesOnlyTheTask() {
        Map<String, Object> failed = TaskResult.failed("t1", "[410.1]Send Job To Agent Fail: refused").toMap();
        assertEquals(Map.of("flag", "false", "error", "[410.1]Send Job To Agent Fail: refused",
                "result", Map.of("id", "t1")), failed);
        assertEquals("t1", TaskResults.idOf(failed));
    }

    @Test
    void aReportWithoutInstructOrMessageStillHasAShape() {
        Map<String, Object> r = TaskResults.delivered(new Reinstruct().setFlag(0));
        assertEquals("", TaskResults.idOf(r));
        assertEquals("", ((Map<?, ?>) r.get("result")).get("worker_message"));
        assertEquals("", TaskResults.idOf(Map.of("flag", "true")));
    }
}

package org.elves.center.contract;

import org.elves.protocol.ElvesException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskResultTest {

    @Test
    void eachKindHasTheReferenceShapeAndReadsBackAsItself() {
        TaskResult delivered = TaskResult.delivered("t1", "1", "done", "5");
        assertEquals(Map.of("flag", "true", "error", "", "result", Map.of("id", "t1", "worker_flag", "1",
                "worker_message", "done", "worker_costtime", "5")), delivered.toMap());
        TaskResult failed = TaskResult.failed("t1", "[410.1]Send Job To Agent Fail: refused");
        assertEquals(Map.of("flag", "false", "error", "[410.1]Send Job To Agent Fail: refused", "result", Map.of("id", "t1")),
                failed.toMap());
        assertEquals("true", TaskResult.resendFailed("t1", "[410.1]x").toMap().get(TaskResult.RESEND_FAILED));
        assertEquals(Map.of("flag", "true", "error", "", "result", Map.of("id", "t1"), "resend_failed", "false"),
                TaskResult.resendReached("t1").toMap());
        for (TaskResult r : new TaskResult[]{delivered, failed, TaskResult.resendFailed("t1", "[410.1]x"),
                TaskResult.resendReached("t1"), new TaskResult(false, "[410.2]late", "t1", "-1", "", "", null)}) {
            assertEquals(r, TaskResult.fromMap(r.toMap()));
        }
    }

    @Test
    void onlyAWorkerThatSaidOneSucceededAndOnlyANoteIsANote() {
        assertTrue(TaskResult.delivered("t1", "1", "", "0").succeeded());
        assertFalse(TaskResult.delivered("t1", "0", "", "0").succeeded());
        assertFalse(TaskResult.failed("t1", "x").succeeded());
        assertTrue(TaskResult.resendReached("t1").isResendNote());
        assertFalse(TaskResult.failed("t1", "x").isResendNote());
    }

    @Test
    void aResultThatNamesNoTaskIsRefused() {
        Map<String, Object> body = new HashMap<>(TaskResult.failed("t1", "x").toMap());
        body.put("result", Map.of("id", " "));
        assertTrue(assertThrows(ElvesException.class, () -> TaskResult.fromMap(body)).getMessage().startsWith("[400.1]"));
        assertThrows(ElvesException.class, () -> TaskResult.fromMap(Map.of("flag", "true")));
    }
}

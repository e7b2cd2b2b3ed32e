package org.elves.center.scheduler;

import org.elves.center.contract.TaskResult;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentResultsTest {

    private static Map<String, Object> result(String id) {
        return TaskResult.failed(id, "x").toMap();
    }

    @Test
    void theSecondResultOfATaskIsARepeat() {
        RecentResults recent = new RecentResults(10);
        assertFalse(recent.repeated(result("a")));
        assertTrue(recent.repeated(result("a")));
        assertFalse(recent.repeated(result("b")));
    }

    @Test
    void aResendNoteClaimsNothingSoTheAgentsRealResultStillGoesThrough() {
        RecentResults recent = new RecentResults(10);
        assertFalse(recent.repeated(TaskResult.resendFailed("a", "[410.1]Send Job To Agent Fail: refused").toMap()));
        assertFalse(recent.repeated(TaskResult.resendFailed("a", "[410.1]Send Job To Agent Fail: refused").toMap()));
        assertFalse(recent.repeated(TaskResult.resendReached("a").toMap()));
        assertEquals(0, recent.size());
        assertFalse(recent.repeated(result("a")), "the real result");
        assertTrue(recent.repeated(result("a")));
    }

    @Test
    void theOldestIdsAreForgottenBeyondTheCapacity() {
        RecentResults recent = new RecentResults(2);
        recent.repeated(result("a"));
        recent.repeated(result("b"));
        recent.repeated(result("c"));
        assertEquals(2, recent.size());
        assertFalse(recent.repeated(result("a")), "a was the oldest, forgotten");
        assertTrue(recent.repeated(result("c")));
    }

    @Test
    void aResultNotForwardedCountsAgainAndOneWithoutIdIsNeverARepeat() {
        RecentResults recent = new RecentResults(10);
        recent.repeated(result("a"));
        recent.forget("a");
        assertFalse(recent.repeated(result("a")));
        assertFalse(recent.repeated(Map.of("flag", "true")));
        assertFalse(recent.repeated(Map.of("flag", "true")));
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RecentResults(0));
    }
}

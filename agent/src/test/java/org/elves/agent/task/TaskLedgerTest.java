package org.elves.agent.task;

import org.elves.agent.runner.ProcessIdentity;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal alone, on real files: what a reopened ledger knows, compaction, bounds, torn lines. */
class TaskLedgerTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    private Path file() {
        return dir.resolve(TaskLedger.FILE);
    }

    private TaskLedger open(int size, long compactBytes) {
        return TaskLedger.open("10.0.0.5", file(), new TaskMemory(size, 3_600_000, 1 << 20, now::get), compactBytes);
    }

    private static Instruct ins(String id) {
        return new Instruct(id, "10.0.0.5", "queue", "P", "app", "f", "{\"pw\":\"x\"}", 30, "");
    }

    private static Reinstruct result(String id, String text) {
        return new Reinstruct(ins(id), 1, 7, text);
    }

    @Test
    void aReopenedLedgerKnowsFinishedRunningAndOwedTasks() {
        try (TaskLedger ledger = open(100, TaskLedger.MIN_COMPACT_BYTES)) {
            ledger.claim(ins("DONE"), false);
            ledger.finish("DONE", result("DONE", "done"));
            ledger.delivered("DONE");
            ledger.claim(ins("OWED"), false);
            ledger.finish("OWED", result("OWED", "owed"));
            ledger.claim(ins("RUN"), false);
            ledger.started("RUN", new ProcessIdentity(4242, 99));
            ledger.claim(ins("RT"), true);
        }
        try (TaskLedger again = open(100, TaskLedger.MIN_COMPACT_BYTES)) {
            TaskMemory.Claim done = again.claim(ins("DONE"), false);
            assertEquals(TaskMemory.State.FINISHED, done.state());
            assertEquals("done", done.result());
            assertEquals(List.of(result("OWED", "owed")), again.undeliveredResults(), "owed with its instruct");
            assertEquals(TaskMemory.State.RUNNING, again.claim(ins("RUN"), false).state());
            List<TaskLedger.Open> open = again.openTasks();
            assertEquals(2, open.size());
            TaskLedger.Open run = open.stream().filter(o -> o.ins().getId().equals("RUN")).findFirst().orElseThrow();
            assertEquals(new ProcessIdentity(4242, 99), run.worker());
            assertEquals(ins("RUN"), run.ins());
            assertEquals(ProcessIdentity.bootId(), run.bootId());
            assertTrue(open.stream().anyMatch(o -> o.ins().getId().equals("RT") && o.realtime()));
        }
        try (TaskLedger third = open(100, TaskLedger.MIN_COMPACT_BYTES)) {
            assertEquals(2, third.openTasks().size(), "compaction at each start keeps what is open");
            third.delivered("OWED");
        }
        try (TaskLedger fourth = open(100, TaskLedger.MIN_COMPACT_BYTES)) {
            assertEquals(List.of(), fourth.undeliveredResults());
        }
    }

    @Test
    void theWorkersTimesSurviveAReopenAndAreInTheRememberedAnswer() {
        Reinstruct timed = result("TIMED", "t");
        timed.setStartTime(1_700_000_000_100L);
        timed.setEndTime(1_700_000_000_900L);
        Reinstruct owed = result("OWED", "o");
        owed.setStartTime(1_700_000_000_200L);
        owed.setEndTime(1_700_000_000_300L);
        try (TaskLedger ledger = open(100, TaskLedger.MIN_COMPACT_BYTES)) {
            ledger.claim(ins("TIMED"), false);
            ledger.finish("TIMED", timed);
            ledger.delivered("TIMED");
            ledger.claim(ins("OWED"), false);
            ledger.finish("OWED", owed);
            assertEquals(timed, ledger.claim(ins("TIMED"), false).answer(ins("TIMED")));
        }
        // twice: the first reopen reads the live journal, the second the compacted one
        for (int reopen = 0; reopen < 2; reopen++) {
            try (TaskLedger again = open(100, TaskLedger.MIN_COMPACT_BYTES)) {
                assertEquals(timed, again.claim(ins("TIMED"), false).answer(ins("TIMED")));
                assertEquals(List.of(owed), again.undeliveredResults());
            }
        }
    }

    @Test
    void theJournalIsCompactedAsItGrowsAndKeepsOnlyWhatTheMemoryBounds() throws Exception {
        long maxSeen = 0;
        try (TaskLedger ledger = open(5, 4096)) {
            for (int i = 0; i < 500; i++) {
                String id = "T" + i;
                ledger.claim(ins(id), i % 2 == 0);
                ledger.started(id, new ProcessIdentity(1000 + i, i));
                ledger.finish(id, result(id, "result " + i));
                ledger.delivered(id);
                maxSeen = Math.max(maxSeen, Files.size(file()));
            }
        }
        System.out.println("journal of 500 tasks with 5 remembered: at most " + maxSeen + " bytes, finally "
                + Files.size(file()));
        assertTrue(maxSeen < 3 * 4096, "compacted as it grew: " + maxSeen);
        try (TaskLedger again = open(5, 4096)) {
            assertEquals(TaskMemory.State.NEW, again.claim(ins("T0"), false).state(), "beyond the count bound: forgotten");
            assertEquals(TaskMemory.State.FINISHED, again.claim(ins("T499"), false).state());
            assertEquals("result 495", again.claim(ins("T495"), false).result());
        }
    }

    @Test
    void idsOlderThanTheTtlAreForgottenAtTheNextStart() {
        try (TaskLedger ledger = open(100, TaskLedger.MIN_COMPACT_BYTES)) {
            ledger.claim(ins("OLD"), false);
            ledger.finish("OLD", result("OLD", "x"));
            ledger.delivered("OLD");
        }
        now.addAndGet(3_600_001);
        try (TaskLedger again = open(100, TaskLedger.MIN_COMPACT_BYTES)) {
            assertEquals(TaskMemory.State.NEW, again.claim(ins("OLD"), false).state());
        }
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheJournalGoesOn() throws Exception {
        try (TaskLedger ledger = open(100, TaskLedger.MIN_COMPACT_BYTES)) {
            ledger.claim(ins("A"), false);
            ledger.finish("A", result("A", "a"));
        }
        // a crash in the middle of an append
        Files.writeString(file(), "{\"e\":\"finish\",\"id\":\"B\",\"res", StandardOpenOption.APPEND);
        try (TaskLedger again = open(100, Long.MAX_VALUE)) {
            assertEquals("a", again.claim(ins("A"), false).result());
            assertEquals(TaskMemory.State.NEW, again.claim(ins("C"), false).state());
        }
        try (TaskLedger third = open(100, TaskLedger.MIN_COMPACT_BYTES)) {
            assertEquals(TaskMemory.State.RUNNING, third.claim(ins("C"), false).state(), "appended after the torn line");
        }
    }

    @Test
    void resultsOverTheBudgetAreDroppedButTheirIdsStayAcrossRestarts() {
        try (TaskLedger ledger = TaskLedger.open("10.0.0.5", file(), new TaskMemory(100, 3_600_000, 10, now::get))) {
            ledger.claim(ins("A"), true);
            ledger.finish("A", result("A", "123456"));
            ledger.claim(ins("B"), true);
            ledger.finish("B", result("B", "7890ab"));
        }
        try (TaskLedger again = TaskLedger.open("10.0.0.5", file(), new TaskMemory(100, 3_600_000, 10, now::get))) {
            assertEquals(TaskMemory.State.RESULT_DROPPED, again.claim(ins("A"), true).state());
            assertEquals("7890ab", again.claim(ins("B"), true).result());
        }
    }
}

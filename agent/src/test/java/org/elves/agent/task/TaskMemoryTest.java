package org.elves.agent.task;

import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TaskMemoryTest {
    private final AtomicLong now = new AtomicLong();

    private TaskMemory memory(int size, long ttlMillis, long resultChars) {
        return new TaskMemory(size, ttlMillis, resultChars, now::get);
    }

    private static Reinstruct answer(String id, String result) {
        return new Reinstruct(new Instruct(id, "127.0.0.1", "rt", "NP", "app", "f", "", 0, ""), 1, 3, result);
    }

    @Test
    void anIdIsNewThenRunningThenFinishedWithItsAnswer() {
        TaskMemory m = memory(10, 60_000, 1000);
        assertEquals(TaskMemory.State.NEW, m.claim("A").state());
        assertEquals(TaskMemory.State.RUNNING, m.claim("A").state());
        m.finish("A", answer("A", "done"));
        TaskMemory.Claim again = m.claim("A");
        assertEquals(TaskMemory.State.FINISHED, again.state());
        assertEquals(answer("A", "done"), again.answer(answer("A", "").getIns()));
    }

    @Test
    void emptyIdsAreNeverRemembered() {
        TaskMemory m = memory(10, 60_000, 1000);
        assertEquals(TaskMemory.State.NEW, m.claim("").state());
        assertEquals(TaskMemory.State.NEW, m.claim("").state());
        assertEquals(TaskMemory.State.NEW, m.claim(null).state());
        assertEquals(0, m.size());
    }

    @Test
    void oldestFinishedIdsGoBeyondTheSizeButRunningOnesStay() {
        TaskMemory m = memory(2, 60_000, 1000);
        m.claim("RUN");
        for (String id : new String[]{"A", "B", "C"}) {
            m.claim(id);
            m.finish(id, answer(id, id));
        }
        assertEquals(TaskMemory.State.NEW, m.claim("A").state(), "A was evicted");
        assertEquals(TaskMemory.State.FINISHED, m.claim("C").state());
        assertEquals(TaskMemory.State.RUNNING, m.claim("RUN").state());
    }

    @Test
    void idsExpireAfterTheTtl() {
        TaskMemory m = memory(10, 1000, 1000);
        m.claim("A");
        m.finish("A", answer("A", "x"));
        now.addAndGet(999L);
        assertEquals(TaskMemory.State.FINISHED, m.claim("A").state());
        now.addAndGet(2L);
        assertEquals(TaskMemory.State.NEW, m.claim("A").state());
    }

    @Test
    void pastTheResultBudgetOldResultsAreDroppedButTheirIdsRemain() {
        TaskMemory m = memory(10, 60_000, 10);
        m.claim("A");
        m.finish("A", answer("A", "123456"));
        m.claim("B");
        m.finish("B", answer("B", "7890ab"));
        TaskMemory.Claim a = m.claim("A");
        assertEquals(TaskMemory.State.RESULT_DROPPED, a.state());
        assertNull(a.result());
        assertEquals("7890ab", m.claim("B").result());
    }
}

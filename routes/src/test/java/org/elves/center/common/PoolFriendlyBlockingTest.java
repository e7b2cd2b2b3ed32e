package org.elves.center.common;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolFriendlyBlockingTest {

    /** Two pool threads, ten calls that block until all ten run: only spare threads make it. */
    @Test
    void blockedPoolThreadsAreReplacedSoEveryCallRunsAtOnce() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(2);
        CountDownLatch allRunning = new CountDownLatch(10);
        try {
            List<CompletableFuture<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> PoolFriendlyBlocking.call(() -> {
                    allRunning.countDown();
                    try {
                        return allRunning.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }), pool));
            }
            for (CompletableFuture<Boolean> call : calls) {
                assertTrue(call.get(20, TimeUnit.SECONDS), "a call did not see the others running");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void failuresAndResultsComeBackAsWithoutIt() {
        assertEquals("x", PoolFriendlyBlocking.call(() -> "x"));
        assertThrows(IllegalArgumentException.class, () -> PoolFriendlyBlocking.call(() -> {
            throw new IllegalArgumentException("no");
        }));
    }
}

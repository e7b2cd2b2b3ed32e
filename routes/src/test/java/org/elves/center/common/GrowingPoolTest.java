package org.elves.center.common;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrowingPoolTest {

    @Test
    void tasksInTurnReuseOneThread() throws Exception {
        ThreadPoolExecutor pool = GrowingPool.create(50, Executors.defaultThreadFactory());
        try {
            for (int i = 0; i < 200; i++) {
                pool.submit(() -> { }).get(5, TimeUnit.SECONDS);
                waitIdle(pool);
            }
            assertEquals(1, pool.getLargestPoolSize(), "a fixed pool would have started 50");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void blockingTasksAllRunAtOnceUpToTheMaximumThenQueue() throws Exception {
        ThreadPoolExecutor pool = GrowingPool.create(30, Executors.defaultThreadFactory());
        CountDownLatch started = new CountDownLatch(30);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(40);
        try {
            for (int i = 0; i < 40; i++) {
                pool.execute(() -> {
                    started.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.countDown();
                });
            }
            // a pool with a queue and a small core would run only its core size at once
            assertTrue(started.await(10, TimeUnit.SECONDS), "30 tasks running together, " + started.getCount() + " missing");
            assertEquals(30, pool.getPoolSize());
            assertEquals(10, pool.getQueue().size(), "the ten past the maximum wait");
            release.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS), "the queued ones ran too");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void waitIdle(ThreadPoolExecutor pool) throws InterruptedException {
        for (int i = 0; i < 1000 && pool.getActiveCount() > 0; i++) {
            Thread.sleep(1);
        }
    }
}

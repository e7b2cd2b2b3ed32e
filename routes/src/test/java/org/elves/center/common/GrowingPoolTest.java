package org.elves.center.common;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrowingPoolTest {

    @Test
    void tasksInTurnReuseOneThread() throws Exception {
        List<Thread> started = new CopyOnWriteArrayList<>();
        ThreadPoolExecutor pool = GrowingPool.create(50, task -> {
            Thread thread = Executors.defaultThreadFactory().newThread(task);
            started.add(thread);
            return thread;
        });
        try {
            for (int i = 0; i < 200; i++) {
                pool.submit(() -> { }).get(5, TimeUnit.SECONDS);
                waitIdle(started);
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

    /**
     * Waits until every thread waits for its next task. The pool's active count is not enough:
     * it drops when the task ends, before the thread is back waiting on the queue, and a task
     * submitted in between rightly starts a second thread.
     */
    private static void waitIdle(List<Thread> threads) throws InterruptedException {
        for (int i = 0; i < 5000 && !threads.stream().allMatch(GrowingPoolTest::waitsForWork); i++) {
            Thread.sleep(1);
        }
    }

    private static boolean waitsForWork(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING || state == Thread.State.TERMINATED;
    }
}

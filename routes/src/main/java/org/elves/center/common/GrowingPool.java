package org.elves.center.common;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A thread pool that starts a thread only when every thread it has is busy, up to a maximum, and
 * queues past it; idle threads end after a minute. The JDK's pools do one of the other two: a
 * fixed pool (and Camel's, and Vert.x's worker pool) starts a new thread for each of its first
 * {@code max} tasks even when all others idle, so four callers in turn leave {@code max} threads
 * behind (the standalone's memory); a pool with a queue grows past its core size only once the
 * queue is full, so blocking tasks (a realtime call holds its thread for the whole task) run a
 * few at a time while the rest wait. As Tomcat's TaskQueue does: the queue refuses a task while
 * the pool may still grow and no thread is free, which makes the pool start one.
 */
public final class GrowingPool {
    private static final long IDLE_SECONDS = 60;

    private GrowingPool() {
    }

    public static ThreadPoolExecutor create(int maxThreads, ThreadFactory threads) {
        GrowFirstQueue queue = new GrowFirstQueue();
        // no core threads: every task goes through the queue's offer, which decides to grow
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, maxThreads, IDLE_SECONDS, TimeUnit.SECONDS, queue,
                threads, (task, full) -> queue.queue(task, full));
        queue.pool = pool;
        return pool;
    }

    /**
     * Queues a task only when an idle thread is waiting for it; otherwise refuses it, so the pool
     * starts a thread. Idle threads are counted here (they wait in {@link #poll}) rather than read
     * from the pool's active count: a thread whose idle minute just ended still counts in the
     * pool's size, and a task queued for it would wait until some busy thread finished (seen as
     * one realtime call of forty held for 30 s). The two orders of a timing-out thread and an
     * offer are both closed: the thread looks at the queue once more after it stopped waiting,
     * and the offer takes its task back and lets the pool grow when no thread waits any more.
     */
    private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {
        private final java.util.concurrent.atomic.AtomicInteger idle = new java.util.concurrent.atomic.AtomicInteger();
        private volatile ThreadPoolExecutor pool;

        @Override
        public boolean offer(Runnable task) {
            ThreadPoolExecutor owner = pool;
            if (owner == null || owner.getPoolSize() >= owner.getMaximumPoolSize()) {
                return super.offer(task); // at the maximum: wait for a thread
            }
            if (idle.get() <= size()) {
                return false; // no thread free for it: the pool starts another
            }
            super.offer(task);
            // the waiter counted above may have stopped waiting meanwhile: then grow instead
            return idle.get() > 0 || !remove(task);
        }

        @Override
        public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
            idle.incrementAndGet();
            try {
                Runnable task = super.poll(timeout, unit);
                if (task != null) {
                    return task;
                }
            } finally {
                idle.decrementAndGet();
            }
            return super.poll(); // queued while this thread was deciding to end: it runs it
        }

        @Override
        public Runnable take() throws InterruptedException {
            idle.incrementAndGet();
            try {
                return super.take();
            } finally {
                idle.decrementAndGet();
            }
        }

        /** A task the pool could not start a thread for (at its maximum, or a race): queued after all. */
        void queue(Runnable task, ThreadPoolExecutor full) {
            if (full.isShutdown()) {
                throw new java.util.concurrent.RejectedExecutionException("pool is shut down");
            }
            super.offer(task);
        }
    }
}

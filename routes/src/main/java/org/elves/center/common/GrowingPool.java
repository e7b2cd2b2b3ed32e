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

    private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {
        private volatile ThreadPoolExecutor pool;

        @Override
        public boolean offer(Runnable task) {
            ThreadPoolExecutor owner = pool;
            if (owner != null && owner.getActiveCount() >= owner.getPoolSize()
                    && owner.getPoolSize() < owner.getMaximumPoolSize()) {
                return false; // every thread is busy: the pool starts another
            }
            return super.offer(task);
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

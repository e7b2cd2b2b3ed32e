package org.elves.center.common;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Supplier;

/**
 * Runs a blocking call so that a ForkJoinPool thread running it is replaced meanwhile.
 * spring-rabbitmq completes every rpc reply on the common ForkJoinPool (a few threads for the
 * whole JVM) and Camel goes on with the route there: a Thrift call to an agent that follows an
 * answer of Heartbeat (a realtime task: the whole task) would hold one of those threads, and four
 * such calls would stall every other reply in the process. ForkJoinPool.managedBlock tells the
 * pool, which starts a spare thread for as long as the call blocks. Elsewhere it just runs.
 */
public final class PoolFriendlyBlocking {
    private PoolFriendlyBlocking() {
    }

    public static <T> T call(Supplier<T> blocking) {
        if (!(Thread.currentThread() instanceof ForkJoinWorkerThread)) {
            return blocking.get();
        }
        Blocker<T> blocker = new Blocker<>(blocking);
        try {
            ForkJoinPool.managedBlock(blocker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while blocked", e);
        }
        if (blocker.failure != null) {
            throw blocker.failure;
        }
        return blocker.result;
    }

    private static final class Blocker<T> implements ForkJoinPool.ManagedBlocker {
        private final Supplier<T> blocking;
        private T result;
        private RuntimeException failure;
        private boolean done;

        Blocker(Supplier<T> blocking) {
            this.blocking = blocking;
        }

        @Override
        public boolean block() {
            try {
                result = blocking.get();
            } catch (RuntimeException e) {
                failure = e;
            }
            done = true;
            return true;
        }

        @Override
        public boolean isReleasable() {
            return done;
        }
    }
}

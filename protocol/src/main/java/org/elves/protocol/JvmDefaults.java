package org.elves.protocol;

import java.util.concurrent.ForkJoinPool;

/** Process-wide settings every Elves entry point applies before anything else runs. */
public final class JvmDefaults {
    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private JvmDefaults() {
    }

    /**
     * On a 2-core machine the common ForkJoinPool gets parallelism 1, and CompletableFuture then
     * starts a new thread for every async step: each RabbitMQ reply (spring-rabbitmq's producer
     * completes with whenCompleteAsync) and each HTTP response. Measured: three threads started per
     * realtime call and a fifth of the throughput. A few pool threads fix it.
     */
    public static void apply() {
        if (System.getProperty(PARALLELISM) == null) {
            System.setProperty(PARALLELISM, String.valueOf(Math.max(4, Runtime.getRuntime().availableProcessors())));
        }
    }

    /** Whether async steps run on pool threads (false when apply() came too late for this JVM). */
    public static boolean asyncStepsPooled() {
        return ForkJoinPool.getCommonPoolParallelism() > 1;
    }
}

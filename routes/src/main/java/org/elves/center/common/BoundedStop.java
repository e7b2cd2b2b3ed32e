package org.elves.center.common;

/**
 * The last guarantee that a stop (SIGTERM, Ctrl-C) ends the process in time, whatever the broker's
 * state. Each part of a stop is bounded on its own (messages in flight: elves.shutdown-timeout-s;
 * each inbox's consumers: elves.mq.shutdown-timeout-ms), but spring-amqp also waits 5 s for the
 * consumers of every rpc reply container it cannot cancel on a dead connection, and those are out
 * of reach behind the spring-rabbitmq producer. A stop that is not over by the limit halts the JVM.
 */
public final class BoundedStop {
    private BoundedStop() {
    }

    /** Runs {@code stop} (from a shutdown hook); halts the JVM if it has not finished within {@code limitMs}. */
    public static void run(String what, Runnable stop, long limitMs) {
        Thread stopping = new Thread(stop, what + "-stop");
        stopping.setDaemon(true);
        stopping.start();
        try {
            stopping.join(limitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping.isAlive()) {
            System.err.println(what + " did not stop within " + limitMs + " ms; exiting anyway");
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }
}

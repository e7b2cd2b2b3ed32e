package org.elves.agent;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Waiting in a test for something the agent does in the background. */
public final class Await {
    private Await() {
    }

    /** Polls the condition every 20 ms; fails after 20 s, naming what it waited for. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 20 s for: " + what);
            Thread.sleep(20);
        }
    }
}

package org.elves.cli.logs;

import org.elves.cli.FakeOpenApi;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live part of following: chunks are printed as they come, and a follower can be called off. */
@Timeout(30)
class OutputFollowerTest {
    private static ElvesApiClient client(FakeOpenApi api) {
        return new ElvesApiClient(new ApiTarget(URI.create(api.url()), FakeOpenApi.AUTH_ID, FakeOpenApi.KEY));
    }

    @Test
    void eachChunkIsPrintedBeforeTheNextIsSent() throws Exception {
        LogsFake fake = new LogsFake();
        CountDownLatch printed = new CountDownLatch(1);
        fake.gate = printed;
        StringBuilder seen = new StringBuilder();
        Writer watching = new Writer() {
            @Override
            public synchronized void write(char[] chars, int off, int len) {
                seen.append(chars, off, len);
                if (seen.indexOf("head 1\n") >= 0) {
                    printed.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        try (FakeOpenApi api = new FakeOpenApi(fake)) {
            OutputFollower.End end = new OutputFollower(client(api), LogsFake.DONE, new PrintWriter(watching),
                    new PrintWriter(new StringWriter())).follow();
            assertTrue(end.succeeded(), end::toString);
            assertFalse(fake.gateMissed, "the first chunk was printed while the stream waited with the rest");
            assertEquals("head 1\nhead 2\ntail\n", seen.toString());
        }
    }

    @Test
    void cancelEndsAFollowerThatWaitsForATaskNeverStarted() throws Exception {
        try (FakeOpenApi api = new FakeOpenApi(new LogsFake())) {
            OutputFollower follower = new OutputFollower(client(api), "AAAAAAAAAAAAAAAA",
                    new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            AtomicReference<Object> outcome = new AtomicReference<>("running");
            Thread thread = new Thread(() -> {
                try {
                    outcome.set(follower.follow());
                } catch (InterruptedException e) {
                    outcome.set(e);
                }
            });
            long start = System.nanoTime();
            thread.start();
            Thread.sleep(300);
            follower.cancel();
            thread.interrupt();
            thread.join(2000);
            assertFalse(thread.isAlive(), "ended after cancel");
            assertTrue((System.nanoTime() - start) / 1_000_000 < LogsFake.FOLLOW_WAIT_MILLIS,
                    "before the server gave up waiting for the task");
            Object o = outcome.get();
            assertTrue(o == null || o instanceof InterruptedException, "no end, no failure: " + o);
        }
    }
}

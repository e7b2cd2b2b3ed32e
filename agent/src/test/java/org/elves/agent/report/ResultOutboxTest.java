package org.elves.agent.report;

import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;
import org.elves.agent.state.AtomicFiles;
import org.elves.agent.state.FileSafeNames;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox alone: files, order, bound, retries, restart. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResultOutboxTest {
    @TempDir
    Path dir;

    private final ExecutorService worker = Executors.newCachedThreadPool();
    private final ScheduledExecutorService retryTimer = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<Reinstruct> sent = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        worker.shutdownNow();
        retryTimer.shutdownNow();
    }

    private static Reinstruct result(String runId, String result) {
        return new Reinstruct(new Instruct(runId, "10.0.0.5", "cron", "P", "apptest", "f", "{\"pw\":\"x\"}", 90, ""),
                1, 12, result);
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void fileNamesAreSafeAndTellTheRunIdBack() {
        assertEquals("2AD6AF3B2E5D4C2E@1700000000.json", FileSafeNames.of("2AD6AF3B2E5D4C2E@1700000000", ".json"));
        for (String id : List.of("a/b\\c@1", "../x@2", ".hidden@3", "sp ace_und@4", "ümlaut@5")) {
            String name = FileSafeNames.of(id, ".json");
            assertTrue(name.matches("[A-Za-z0-9_@.-]+\\.json") && !name.startsWith("."), name);
            assertEquals(id, FileSafeNames.idOf(name, ".json"));
        }
    }

    @Test
    void aResultIsOnDiskUntilTheSchedulerTookItThenDeleted() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(2);
        ResultOutbox outbox = new ResultOutbox("10.0.0.5", dir, 100, r -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new TTransportException("scheduler down");
            }
            sent.add(r);
        }, worker, retryTimer);
        outbox.start();
        Reinstruct r = result("C1@1700000000", "done");
        outbox.add(r);
        assertEquals(List.of("C1@1700000000.json"), files(), "kept while undelivered");
        Reinstruct got = sent.poll(10, TimeUnit.SECONDS);
        assertNotNull(got, "delivered after two failures (1 s and 2 s pauses)");
        assertEquals(r, got, "the whole result, instruct included, survives the file");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!files().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), files());
        assertEquals(0, outbox.pendingCount());
        outbox.close();
    }

    @Test
    void aRestartedOutboxSendsWhatWasLeftOldestFirstWithinItsBound() throws Exception {
        ResultOutbox down = new ResultOutbox("10.0.0.5", dir, 3, r -> {
            throw new TTransportException("scheduler down");
        }, worker, retryTimer);
        down.start();
        for (int i = 1; i <= 5; i++) {
            down.add(result("C1@170000000" + i, "run " + i));
            Thread.sleep(20); // distinct file times
        }
        down.close();
        Files.writeString(dir.resolve(AtomicFiles.TEMP_PREFIX + "C1@1699999999.json-1"), "{half");
        // the oldest two were dropped (an ERROR each); one may be in flight, so 3 or 4 are left
        List<String> left = files().stream().filter(f -> !f.startsWith(".")).collect(Collectors.toList());
        assertTrue(left.size() == 3 || left.size() == 4, left.toString());
        assertTrue(left.contains("C1@1700000005.json") && left.contains("C1@1700000004.json"), left.toString());
        assertTrue(!left.contains("C1@1700000002.json"), left.toString());

        ResultOutbox up = new ResultOutbox("10.0.0.5", dir, 3, sent::add, worker, retryTimer);
        up.start();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < left.size(); i++) {
            Reinstruct r = sent.poll(10, TimeUnit.SECONDS);
            assertNotNull(r);
            ids.add(r.getIns().getId());
        }
        assertEquals(left.stream().map(f -> FileSafeNames.idOf(f, ".json")).sorted().collect(Collectors.toList()), ids, "oldest first");
        assertNull(sent.poll(300, TimeUnit.MILLISECONDS), "none twice");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!files().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), files(), "delivered files and the stale temp file are gone");
        up.close();
    }

    @Test
    void theSenderKeepsTryingAndNeverDeliversOneResultTwice() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ResultOutbox outbox = new ResultOutbox("10.0.0.5", dir, 100, r -> {
            if (calls.incrementAndGet() == 1) {
                throw new TException("first attempt fails");
            }
            sent.add(r);
        }, worker, retryTimer);
        outbox.start();
        for (int i = 0; i < 20; i++) {
            outbox.add(result("C2@17000000" + (10 + i), "r" + i));
        }
        for (int i = 0; i < 20; i++) {
            Reinstruct r = sent.poll(10, TimeUnit.SECONDS);
            assertNotNull(r, "result " + i);
            assertEquals("C2@17000000" + (10 + i), r.getIns().getId(), "in order");
        }
        assertNull(sent.poll(300, TimeUnit.MILLISECONDS));
        outbox.close();
    }

    @Test
    void deliverSendsAtOnceWithoutADiskWriteAndKeepsOnDiskOnlyWhatFails() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(0);
        List<String> filesDuringSend = new java.util.concurrent.CopyOnWriteArrayList<>();
        ResultOutbox outbox = new ResultOutbox("10.0.0.5", dir, 100, r -> {
            try (Stream<Path> now = Files.list(dir)) {
                now.forEach(f -> filesDuringSend.add(f.getFileName().toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (failuresLeft.getAndDecrement() > 0) {
                throw new TTransportException("scheduler down");
            }
            sent.add(r);
        }, worker, retryTimer);
        outbox.start();
        outbox.deliver(result("Q1", "at once"));
        assertEquals("at once", sent.poll(0, TimeUnit.SECONDS).getResult(), "sent in the calling thread");
        assertEquals(List.of(), filesDuringSend, "nothing written on the way");

        failuresLeft.set(1);
        outbox.deliver(result("Q2", "later"));
        assertEquals("later", sent.poll(10, TimeUnit.SECONDS).getResult());
        assertTrue(filesDuringSend.contains("Q2.json"), "after the failed attempt it was kept on disk: " + filesDuringSend);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!files().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), files());
        outbox.close();
    }
}

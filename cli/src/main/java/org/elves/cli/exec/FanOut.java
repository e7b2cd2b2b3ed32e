package org.elves.cli.exec;

import org.elves.cli.api.ElvesApiClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one API call per host, at most {@code parallel} at a time, on the client's asynchronous
 * HTTP so a thousand hosts need no thousand threads.
 */
final class FanOut {
    private final ElvesApiClient client;
    private final int parallel;

    FanOut(ElvesApiClient client, int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
        this.client = client;
        this.parallel = parallel;
    }

    /**
     * Calls {@code path} for every host and hands each result to {@code onResult} as it arrives,
     * one at a time (never concurrently, so reports need no locking of their own).
     *
     * @return the results in the order of {@code hosts}
     */
    List<HostResult> run(String path, List<String> hosts, Function<String, Map<String, String>> paramsOf,
                         Duration timeout, Consumer<HostResult> onResult) throws InterruptedException {
        Semaphore slots = new Semaphore(parallel);
        Object reportLock = new Object();
        List<CompletableFuture<HostResult>> calls = new ArrayList<>(hosts.size());
        for (String host : hosts) {
            slots.acquire();
            CompletableFuture<HostResult> call = client.callAsync(path, paramsOf.apply(host), timeout)
                    .thenApply(response -> HostResult.of(host, response))
                    .whenComplete((result, failure) -> {
                        try {
                            if (result != null) {
                                synchronized (reportLock) {
                                    onResult.accept(result);
                                }
                            }
                        } finally {
                            slots.release();
                        }
                    });
            calls.add(call);
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        List<HostResult> results = new ArrayList<>(calls.size());
        for (CompletableFuture<HostResult> call : calls) {
            results.add(call.join());
        }
        return results;
    }
}

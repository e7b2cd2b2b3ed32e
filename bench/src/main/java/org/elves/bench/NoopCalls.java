package org.elves.bench;

import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ElvesApiClient;

import java.time.Duration;
import java.util.Map;

/** The realtime benchmarks' unit of work: a no-op shell worker called through the signed API. */
final class NoopCalls {
    private NoopCalls() {
    }

    static ApiResponse noop(ElvesApiClient api, String ip) {
        return api.call("/api/v2/rt/exec", Map.of("ip", ip, "app", "shelltest", "func", "noop", "timeout", "10"),
                Duration.ofSeconds(30));
    }

    /** Fails the benchmark on a call that did not run the worker successfully. */
    static void check(ApiResponse r) {
        if (!r.ok() || !"1".equals(r.resultText("worker_flag"))) {
            throw new IllegalStateException("call failed: " + r.error() + " " + r.resultText("worker_message"));
        }
    }

    /** The p-th percentile of sorted microseconds, in milliseconds. */
    static double pct(long[] sortedMicros, int p) {
        return sortedMicros[Math.min(sortedMicros.length - 1, (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1)] / 1000.0;
    }
}

package org.elves.it;

import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.protocol.ErrorCode;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An operator changes a component's setting in ZooKeeper and the running center applies it. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LiveConfigTest {

    @Test
    void aNarrowerSignatureWindowInZooKeeperAppliesWithoutRestart() throws Exception {
        try (LocalCluster cluster = LocalCluster.builder().components(List.of(Component.values())).start()) {
            cluster.startAgents(List.of("127.0.0.21"), b -> b);
            cluster.awaitOnline(List.of("127.0.0.21"), Duration.ofSeconds(10));
            Api slowClock = Api.as(cluster, cluster.authId(), cluster.authKey(),
                    Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-60)));

            ApiResponse before = slowClock.call("/api/v2/info/agents", Map.of());
            assertTrue(before.ok(), "a clock 60 s behind is inside the default 180 s window: " + before.error());

            cluster.config().publish("openapi", Map.of("sign", Map.of("window-seconds", 30)));
            ApiResponse after = awaitError(slowClock, ErrorCode.SIGN_TIMEOUT);
            assertEquals(ErrorCode.SIGN_TIMEOUT, after.errorCode(), after.error());

            cluster.config().publish("openapi", Map.of());
            assertTrue(awaitError(slowClock, null).ok(), "removing the node restores the default");
        }
    }

    private static ApiResponse awaitError(Api api, ErrorCode expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ApiResponse r;
        do {
            r = api.call("/api/v2/info/agents", Map.of());
            if (r.errorCode() == expected) {
                return r;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return r;
    }
}

package org.elves.center.openapi;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.elves.center.openapi.NonceCache.Outcome.FRESH;
import static org.elves.center.openapi.NonceCache.Outcome.FULL;
import static org.elves.center.openapi.NonceCache.Outcome.REPLAYED;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NonceCacheTest {

    @Test
    void aPairIsRememberedUntilItsExpiry() {
        NonceCache cache = new NonceCache(10);
        assertEquals(FRESH, cache.remember("1", "nonce-aaaaaaaaaaaa", 280, 100));
        assertEquals(REPLAYED, cache.remember("1", "nonce-aaaaaaaaaaaa", 290, 279));
        assertEquals(FRESH, cache.remember("2", "nonce-aaaaaaaaaaaa", 280, 100));
        assertEquals(FRESH, cache.remember("1", "nonce-aaaaaaaaaaaa", 460, 280), "expired: may be used again");
        assertEquals(REPLAYED, cache.remember("1", "nonce-aaaaaaaaaaaa", 460, 300));
        assertEquals(1, cache.size(), "expired pairs are dropped");
    }

    @Test
    void aFullCacheRefusesNewPairsUntilSomeExpire() {
        NonceCache cache = new NonceCache(2);
        assertEquals(FRESH, cache.remember("1", "a-nonce-000000001", 200, 100));
        assertEquals(FRESH, cache.remember("1", "a-nonce-000000002", 210, 100));
        assertEquals(FULL, cache.remember("1", "a-nonce-000000003", 220, 150));
        assertEquals(REPLAYED, cache.remember("1", "a-nonce-000000001", 200, 150));
        assertEquals(FRESH, cache.remember("1", "a-nonce-000000003", 300, 200));
        assertEquals(2, cache.size());
    }

    @Test
    void concurrentUsesOfOneNonceLetExactlyOneThrough() throws Exception {
        NonceCache cache = new NonceCache(100_000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 200; round++) {
                String nonce = "round-nonce-" + String.format("%06d", round);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<NonceCache.Outcome>> outcomes = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    outcomes.add(pool.submit(() -> {
                        go.await();
                        return cache.remember("1", nonce, 1000, 100);
                    }));
                }
                go.countDown();
                int fresh = 0;
                for (Future<NonceCache.Outcome> f : outcomes) {
                    fresh += f.get() == FRESH ? 1 : 0;
                }
                assertEquals(1, fresh, nonce);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

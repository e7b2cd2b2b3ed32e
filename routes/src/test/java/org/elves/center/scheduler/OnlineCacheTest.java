package org.elves.center.scheduler;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class OnlineCacheTest {
    private long now = 1000;
    private long ttl = 2000;
    private final OnlineCache cache = new OnlineCache(() -> now, () -> ttl);

    @Test
    void anAnswerIsReusedWhileFreshOnly() {
        Map<String, Object> answer = Map.of("flag", "true");
        cache.remember("127.0.0.2", answer);
        now += 2000;
        assertEquals(answer, cache.fresh("127.0.0.2"));
        now += 1;
        assertNull(cache.fresh("127.0.0.2"));
    }

    @Test
    void forgottenOrDisabledMeansAskAgain() {
        cache.remember("127.0.0.2", Map.of());
        cache.forget("127.0.0.2");
        assertNull(cache.fresh("127.0.0.2"));
        ttl = 0;
        cache.remember("127.0.0.3", Map.of());
        assertNull(cache.fresh("127.0.0.3"));
    }
}

package org.elves.center.openapi;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two OpenAPI instances' guards over one MongoDB: a request replayed to the other one is refused. */
class SharedNoncesTest {
    private static final long NOW = 1_800_000_000L;
    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + bound(server));
    private final ElvesConfig config = Center.configFor(List.of(Component.OPENAPI))
            .overrides(Map.of("elves.openapi.auth.id", "ops", "elves.openapi.auth.key", "ops-secret")).build();

    private static int bound(MongoServer server) {
        server.bind("127.0.0.1", 0);
        return server.getLocalAddress().getPort();
    }

    @AfterEach
    void close() {
        mongo.close();
        server.shutdownNow();
        config.close();
    }

    private ApiGuard instance() {
        return new ApiGuard(new SupervisorKeys(config), config, () -> NOW, new NonceCache(1000), new SharedNonces(mongo, "elves"));
    }

    private static ApiRequest signed(String nonce) {
        Map<String, String> params = new TreeMap<>(Map.of("auth_id", "ops", "timestamp", String.valueOf(NOW),
                "nonce", nonce, "sign_type", "hmac-sha256", "ip", "10.0.0.1"));
        params.put("sign", ApiSignature.hmacSign("GET", "/api/v2/info/agents", params, "ops-secret"));
        return new ApiRequest("GET", "/api/v2/info/agents", params, null);
    }

    @Test
    void aRequestAcceptedByOneInstanceIsAReplayAtTheOther() {
        ApiGuard first = instance();
        ApiGuard second = instance();
        first.verify(signed("nonce-shared-0000001"));
        ElvesException replay = assertThrows(ElvesException.class, () -> second.verify(signed("nonce-shared-0000001")));
        assertEquals(ErrorCode.NONCE_REPLAYED, replay.code());
        assertTrue(replay.getMessage().contains("another OpenAPI instance"), replay.getMessage());
        second.verify(signed("nonce-shared-0000002"));
    }

    @Test
    void aRestartedInstanceStillRefusesAReplay() {
        instance().verify(signed("nonce-restart-000001"));
        assertEquals(ErrorCode.NONCE_REPLAYED,
                assertThrows(ElvesException.class, () -> instance().verify(signed("nonce-restart-000001"))).code());
    }

    @Test
    void pairsOutOfTheWindowAreForgottenAndOnlyThose() {
        SharedNonces nonces = new SharedNonces(mongo, "elves");
        assertTrue(nonces.claim("ops", "old-nonce-000000001", NOW - 1));
        assertTrue(nonces.claim("ops", "new-nonce-000000001", NOW + 100));
        assertEquals(1, nonces.forgetExpired(NOW));
        assertTrue(nonces.claim("ops", "old-nonce-000000001", NOW + 100), "forgotten: its request is out of the window anyway");
        assertEquals(false, nonces.claim("ops", "new-nonce-000000001", NOW + 100));
    }
}

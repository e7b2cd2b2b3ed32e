package org.elves.center.openapi;

import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hmac-sha256 with its nonce, strong-only keys, and the grants checked after the signature. */
class ApiGuardHmacTest {
    private static final String PATH = "/api/v2/rt/exec";
    private static final ApiKey ADMIN = ApiKey.admin("1", "123456");
    private static final ApiKey OPS = new ApiKey("ops", "ops-secret", false, false,
            Map.of("apptest", Set.of("192.168.1.10"), "web", Set.of(ApiKey.EVERY_AGENT)));
    private static final ApiKey STRONG = new ApiKey("strong", "strong-secret", false, true,
            Map.of("apptest", Set.of(ApiKey.EVERY_AGENT)));
    private final Map<String, ApiKey> keys = Map.of("1", ADMIN, "ops", OPS, "strong", STRONG);
    private final ElvesConfig config = Center.configFor(List.of(Component.OPENAPI)).overrides(Map.of(
            "elves.openapi.sign.window-seconds", "180")).build();
    private long now = 1_500_000_000L;
    private final NonceCache nonces = new NonceCache(1000);
    private final ApiGuard guard = new ApiGuard(keys::get, config, () -> now, nonces);
    private int nonceCounter;

    @AfterEach
    void close() {
        config.close();
    }

    @Test
    void theDocsWorkedExamplePassesAndCarriesItsKey() {
        Map<String, String> p = exampleB();
        p.put("nonce", "4f1c2b7e9a0d43c5");
        p.put("sign_type", "hmac-sha256");
        p.put("sign", "ab96214cec75d94e0134d19577c1e3e8bf6e23f6abcaf9a40fd98e4c4b9b3fd9");
        ApiRequest verified = guard.verify(new ApiRequest("GET", PATH, p, null));
        assertSame(ADMIN, verified.key());
        assertFalse(verified.toString().contains("123456"), "the secret never shows");
    }

    @Test
    void checksComeInOrderWithTheNonceBetweenWindowAndKey() {
        Map<String, String> p = signed(ADMIN, exampleB());
        p.remove("auth_id");
        p.put("sign_type", "SHA1");
        assertCode(ErrorCode.MISSING_SIGN_PARAM, p);

        p = signed(ADMIN, exampleB());
        p.put("sign_type", "SHA1");
        p.put("sign", "short");
        assertCode(ErrorCode.SIGN_TYPE_ILLEGAL, p);

        p = signed(ADMIN, exampleB());
        p.put("sign", "8b37574067067115e60272ab5a9c58aa"); // an md5 length under hmac-sha256
        p.put("timestamp", "15e8");
        assertCode(ErrorCode.SIGN_LENGTH_ILLEGAL, p);

        p = signed(ADMIN, exampleB());
        p.put("timestamp", "15e8");
        p.remove("nonce");
        assertCode(ErrorCode.TIMESTAMP_ILLEGAL, p);

        Map<String, String> late = signed(ADMIN, exampleB());
        late.remove("nonce");
        now = 1_500_000_180L;
        assertCode(ErrorCode.SIGN_TIMEOUT, late);
        now = 1_500_000_000L;

        p = signed(ADMIN, exampleB());
        p.remove("nonce");
        p.put("auth_id", "unknown");
        ElvesException e = assertCode(ErrorCode.MISSING_SIGN_PARAM, p);
        assertTrue(e.getMessage().contains("nonce is missing or malformed"), e.getMessage());
        p.put("nonce", "too-short");
        assertCode(ErrorCode.MISSING_SIGN_PARAM, p);
        p.put("nonce", "has space in it 0123");
        assertCode(ErrorCode.MISSING_SIGN_PARAM, p);
        p.put("nonce", "a".repeat(65));
        assertCode(ErrorCode.MISSING_SIGN_PARAM, p);

        p.put("nonce", "fine-nonce-0123456789");
        assertCode(ErrorCode.AUTH_ID_NOT_FOUND, p);

        p = signed(ADMIN, exampleB());
        p.put("sign", "0".repeat(64));
        assertCode(ErrorCode.SIGN_ERROR, p);
        assertEquals(0, nonces.size(), "a forged request leaves no nonce behind");
    }

    @Test
    void aReplayedNonceIsRefusedAndAFreshOneInTheSameSecondPasses() {
        Map<String, String> first = signed(ADMIN, exampleB());
        guard.verify(request(first));
        assertCode(ErrorCode.NONCE_REPLAYED, first);
        now += 179;
        assertCode(ErrorCode.NONCE_REPLAYED, first);
        now = 1_500_000_000L;
        guard.verify(request(signed(ADMIN, exampleB())));
        // the same nonce under another auth_id is another pair
        Map<String, String> other = exampleB();
        other.put("auth_id", "ops");
        other.put("nonce", first.get("nonce"));
        guard.verify(request(signed(OPS, other)));
        // once its window is over the replay is refused by the timestamp
        now += 180;
        assertCode(ErrorCode.SIGN_TIMEOUT, first);
    }

    @Test
    void theMethodIsSigned() {
        Map<String, String> p = signed(ADMIN, exampleB());
        ElvesException e = assertThrows(ElvesException.class,
                () -> guard.verify(new ApiRequest("POST", PATH, p, null)));
        assertEquals(ErrorCode.SIGN_ERROR, e.code());
        Map<String, String> post = exampleB();
        post.put("sign_type", "HMAC-SHA256");
        guard.verify(new ApiRequest("post", PATH, sign("POST", ADMIN, post), null));
    }

    @Test
    void anExpiredHmacRequestIsATimeout() {
        Map<String, String> p = signed(ADMIN, exampleB());
        now += 180;
        assertCode(ErrorCode.SIGN_TIMEOUT, p);
        now -= 360;
        assertCode(ErrorCode.SIGN_TIMEOUT, p);
    }

    @Test
    void aStrongOnlyKeyRefusesMd5() {
        Map<String, String> p = ops("apptest", "10.0.0.9");
        p.put("auth_id", "strong");
        p.put("sign_type", "MD5");
        p.put("sign", ApiSignature.sign(PATH, p, STRONG.secret()));
        ElvesException e = assertCode(ErrorCode.SIGN_TYPE_ILLEGAL, p);
        assertTrue(e.getMessage().endsWith("this key accepts only hmac-sha256"), e.getMessage());

        Map<String, String> h = ops("apptest", "10.0.0.9");
        h.put("auth_id", "strong");
        assertSame(STRONG, guard.verify(request(signed(STRONG, h))).key());
    }

    @Test
    void md5KeepsWorkingWithGrants() {
        Map<String, String> p = ops("apptest", "192.168.1.10");
        p.put("sign_type", "md5");
        p.put("sign", ApiSignature.sign(PATH, p, OPS.secret()));
        assertSame(OPS, guard.verify(request(p)).key());
        guard.verify(request(p)); // md5 has no nonce: no replay protection, as the original

        Map<String, String> denied = ops("apptest", "192.168.1.11");
        denied.put("sign_type", "md5");
        denied.put("sign", ApiSignature.sign(PATH, denied, OPS.secret()));
        assertCode(ErrorCode.PERMISSION_DENIED, denied);
    }

    @Test
    void grantsAllowAndDeny() {
        assertSame(OPS, guard.verify(request(signed(OPS, ops("apptest", "192.168.1.10")))).key());
        ElvesException e = assertCode(ErrorCode.PERMISSION_DENIED, signed(OPS, ops("other", "192.168.1.10")));
        assertTrue(e.getMessage().contains("app 'other' is not granted to auth_id ops"), e.getMessage());
        e = assertCode(ErrorCode.PERMISSION_DENIED, signed(OPS, ops("apptest", "192.168.1.11")));
        assertTrue(e.getMessage().contains("agent '192.168.1.11' is not granted to auth_id ops for app 'apptest'"),
                e.getMessage());
        // "*": every agent
        guard.verify(request(signed(OPS, ops("web", "10.1.2.3"))));
        // ip alone: an agent one of the key's apps may run on
        guard.verify(request(signed(OPS, ops(null, "10.1.2.3"))));
        e = assertCode(ErrorCode.PERMISSION_DENIED, signed(STRONG, withAuth("strong", ops("web", null))));
        assertTrue(e.getMessage().contains("app 'web'"), e.getMessage());
        // app alone
        guard.verify(request(signed(OPS, ops("apptest", null))));
        // neither: nothing to check here (queue commit, cron start...)
        guard.verify(request(signed(OPS, ops(null, null))));
        // an empty app is no app
        guard.verify(request(signed(OPS, ops("", "192.168.1.10"))));
        // the admin key: everything
        guard.verify(request(signed(ADMIN, withAuth("1", ops("anything", "10.9.9.9")))));
    }

    @Test
    void adminPathsNeedAnAdminKey() {
        for (String path : new String[]{"/api/v2/admin/keys", "//api/v2/admin/keys", "/api/v2/ADMIN/keys",
                "/api/v2/%61dmin/keys", "/api/v2/rt/../admin/keys", "/api/v2/./admin/", "/elves/api/v2/admin/x"}) {
            Map<String, String> p = sign("GET", path, OPS, ops(null, null));
            ElvesException e = assertThrows(ElvesException.class,
                    () -> guard.verify(new ApiRequest("GET", path, p, null)), path);
            assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), path);
            Map<String, String> a = sign("GET", path, ADMIN, withAuth("1", ops(null, null)));
            assertSame(ADMIN, guard.verify(new ApiRequest("GET", path, a, null)).key(), path);
        }
        assertFalse(ApiGuard.isAdminPath("/api/v2/administrator"));
        assertFalse(ApiGuard.isAdminPath("/api/v2/admin/../rt/exec"));
        assertTrue(ApiGuard.isAdminPath("/api/v2/admin"));
    }

    @Test
    void aFullNonceCacheRefusesRatherThanForgets() {
        ApiGuard small = new ApiGuard(keys::get, config, () -> now, new NonceCache(2));
        Map<String, String> first = signed(ADMIN, exampleB());
        small.verify(request(first));
        small.verify(request(signed(ADMIN, exampleB())));
        ElvesException e = assertThrows(ElvesException.class,
                () -> small.verify(request(signed(ADMIN, exampleB()))));
        assertEquals(ErrorCode.NONCE_CACHE_FULL, e.code());
        assertEquals(503, e.code().httpStatus());
        e = assertThrows(ElvesException.class, () -> small.verify(request(first)));
        assertEquals(ErrorCode.NONCE_REPLAYED, e.code());
        now += 180;
        Map<String, String> later = exampleB();
        later.put("timestamp", Long.toString(now));
        small.verify(request(signed(ADMIN, later)));
    }

    private ElvesException assertCode(ErrorCode expected, Map<String, String> params) {
        ElvesException e = assertThrows(ElvesException.class, () -> guard.verify(request(params)));
        assertEquals(expected, e.code(), e.getMessage());
        return e;
    }

    private static ApiRequest request(Map<String, String> params) {
        return new ApiRequest("GET", PATH, params, null);
    }

    /** The params with a fresh nonce, sign_type and the hmac sign of GET PATH. */
    private Map<String, String> signed(ApiKey key, Map<String, String> params) {
        return sign("GET", PATH, key, params);
    }

    private Map<String, String> sign(String method, ApiKey key, Map<String, String> params) {
        return sign(method, PATH, key, params);
    }

    private Map<String, String> sign(String method, String path, ApiKey key, Map<String, String> params) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.putIfAbsent("nonce", String.format("test-nonce-%08d", ++nonceCounter));
        p.putIfAbsent("sign_type", "hmac-sha256");
        p.put("sign", ApiSignature.hmacSign(method, path, p, key.secret()));
        return p;
    }

    private Map<String, String> ops(String app, String ip) {
        Map<String, String> p = new LinkedHashMap<>();
        if (ip != null) {
            p.put("ip", ip);
        }
        if (app != null) {
            p.put("app", app);
        }
        p.put("func", "hello");
        p.put("auth_id", "ops");
        p.put("timestamp", Long.toString(now));
        return p;
    }

    private static Map<String, String> withAuth(String authId, Map<String, String> p) {
        p.put("auth_id", authId);
        return p;
    }

    private static Map<String, String> exampleB() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ip", "192.168.1.10");
        p.put("app", "apptest");
        p.put("func", "helloword");
        p.put("param", "{\"my\":\"toryzen\"}");
        p.put("timeout", "30");
        p.put("auth_id", "1");
        p.put("timestamp", "1500000000");
        return p;
    }

    @Test
    void unverifiedRequestsHaveNoKey() {
        assertNull(ApiRequest.parse("post", PATH, "a=1", (String) null).key());
        assertEquals("POST", ApiRequest.parse("post", PATH, "a=1", (String) null).method());
        assertEquals("GET", new ApiRequest(PATH, Map.of()).method());
    }

    @Test
    void aFormBodyDecodedByTheHttpConsumerCounts() {
        ApiRequest r = ApiRequest.parse("POST", PATH, "a=1", Map.of("b", "x y", "c", java.util.List.of("z")));
        assertEquals(Map.of("a", "1", "b", "x y", "c", "z"), r.params());
        ElvesException e = assertThrows(ElvesException.class,
                () -> ApiRequest.parse("POST", PATH, null, Map.of("b", java.util.List.of("1", "2"))));
        assertEquals(ErrorCode.PARAM_REPEATED, e.code());
        e = assertThrows(ElvesException.class, () -> ApiRequest.parse("POST", PATH, "b=1", Map.of("b", "2")));
        assertEquals(ErrorCode.PARAM_REPEATED, e.code());
    }
}

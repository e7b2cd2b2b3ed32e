package org.elves.cli.api;

import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.openapi.ApiGuard;
import org.elves.center.openapi.ApiKey;
import org.elves.center.openapi.ApiRequest;
import org.elves.cli.FakeOpenApi;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class ElvesApiClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private FakeOpenApi api;

    @BeforeEach
    void start() throws IOException {
        api = new FakeOpenApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private ElvesApiClient client(String base) {
        return new ElvesApiClient(new ApiTarget(URI.create(base), FakeOpenApi.AUTH_ID, FakeOpenApi.KEY));
    }

    private static Map<String, String> ip(String ip) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ip", ip);
        p.put("app", "apptest");
        p.put("func", "hello");
        return p;
    }

    @Test
    void signsAsTheReferencesWorkedExampleB() {
        Clock at1500000000 = Clock.fixed(Instant.ofEpochSecond(1_500_000_000L), ZoneOffset.UTC);
        ElvesApiClient client = new ElvesApiClient(
                new ApiTarget(URI.create("http://host:9091"), "1", "123456"), Md5Signer.INSTANCE, at1500000000);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ip", "192.168.1.10");
        p.put("app", "apptest");
        p.put("func", "helloword");
        p.put("param", "{\"my\":\"toryzen\"}");
        p.put("timeout", "30");
        assertEquals(URI.create("http://host:9091/api/v2/rt/exec?ip=192.168.1.10&app=apptest&func=helloword"
                        + "&param=%7B%22my%22%3A%22toryzen%22%7D&timeout=30&auth_id=1&timestamp=1500000000"
                        + "&sign_type=MD5&sign=8b37574067067115e60272ab5a9c58aa"),
                client.request("/api/v2/rt/exec", p, WAIT).uri());
    }

    @Test
    void signsHmacWithAFreshNonceByDefault() {
        Clock at1500000000 = Clock.fixed(Instant.ofEpochSecond(1_500_000_000L), ZoneOffset.UTC);
        String[] nonces = {"4f1c2b7e9a0d43c5", "another-nonce-0001"};
        int[] next = {0};
        ElvesApiClient client = new ElvesApiClient(new ApiTarget(URI.create("http://host:9091"), "1", "123456"),
                new HmacSigner(() -> nonces[next[0]++]), at1500000000);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ip", "192.168.1.10");
        p.put("app", "apptest");
        p.put("func", "helloword");
        p.put("param", "{\"my\":\"toryzen\"}");
        p.put("timeout", "30");
        // the worked example of docs/api.md "Signing"
        assertEquals(URI.create("http://host:9091/api/v2/rt/exec?ip=192.168.1.10&app=apptest&func=helloword"
                        + "&param=%7B%22my%22%3A%22toryzen%22%7D&timeout=30&auth_id=1&timestamp=1500000000"
                        + "&sign_type=hmac-sha256&nonce=4f1c2b7e9a0d43c5"
                        + "&sign=ab96214cec75d94e0134d19577c1e3e8bf6e23f6abcaf9a40fd98e4c4b9b3fd9"),
                client.request("/api/v2/rt/exec", p, WAIT).uri());
        assertTrue(client.request("/api/v2/rt/exec", p, WAIT).uri().getRawQuery().contains("nonce=another-nonce-0001"));

        // the default signer: random nonces, 22 characters of base64url
        ElvesApiClient byDefault = client("http://host:9091");
        Map<String, String> first = query(byDefault.request("/api/v2/rt/exec", p, WAIT).uri());
        Map<String, String> second = query(byDefault.request("/api/v2/rt/exec", p, WAIT).uri());
        assertEquals("hmac-sha256", first.get("sign_type"));
        assertEquals(64, first.get("sign").length());
        assertTrue(first.get("nonce").matches("[A-Za-z0-9_-]{22}"), first.get("nonce"));
        assertNotEquals(first.get("nonce"), second.get("nonce"));
    }

    @Test
    void hmacAndMd5RequestsPassTheCentersGuard() {
        ApiKey key = new ApiKey(FakeOpenApi.AUTH_ID, FakeOpenApi.KEY, false, false,
                Map.of("apptest", Set.of("10.0.0.1")));
        try (ElvesConfig config = Center.configFor(List.of(Component.OPENAPI)).build()) {
            ApiGuard guard = new ApiGuard(id -> key.authId().equals(id) ? key : null, config,
                    () -> System.currentTimeMillis() / 1000);
            for (RequestSigner signer : new RequestSigner[]{HmacSigner.INSTANCE, Md5Signer.INSTANCE}) {
                ElvesApiClient client = new ElvesApiClient(new ApiTarget(URI.create("http://host:9091/elves"),
                        FakeOpenApi.AUTH_ID, FakeOpenApi.KEY, signer), signer, Clock.systemUTC());
                HttpRequest request = client.request("/api/v2/rt/exec", ip("10.0.0.1"), WAIT);
                ApiRequest received = ApiRequest.parse(request.method(), request.uri().getRawPath(),
                        request.uri().getRawQuery(), (String) null);
                assertEquals(key, guard.verify(received).key(), signer.type());
                if (signer == HmacSigner.INSTANCE) {
                    ElvesException replay = assertThrows(ElvesException.class, () -> guard.verify(received));
                    assertEquals(ErrorCode.NONCE_REPLAYED, replay.code());
                }
                HttpRequest denied = client.request("/api/v2/rt/exec", ip("10.0.0.2"), WAIT);
                ElvesException e = assertThrows(ElvesException.class, () -> guard.verify(ApiRequest.parse(
                        denied.method(), denied.uri().getRawPath(), denied.uri().getRawQuery(), (String) null)));
                assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), signer.type());
            }
        }
    }

    @Test
    void longRequestsArePostedAndSignedAsPost() {
        Map<String, String> p = ip("10.0.0.1");
        p.put("param", "{\"text\":\"" + "x".repeat(ElvesApiClient.MAX_QUERY_CHARS) + "\"}");
        for (RequestSigner signer : new RequestSigner[]{HmacSigner.INSTANCE, Md5Signer.INSTANCE}) {
            ElvesApiClient client = new ElvesApiClient(new ApiTarget(URI.create(api.url()),
                    FakeOpenApi.AUTH_ID, FakeOpenApi.KEY, signer));
            ApiResponse r = client.call("/api/v2/rt/exec", p, WAIT);
            assertTrue(r.ok(), r::error);
        }
        assertEquals(List.of("POST", "POST"), api.methods());
        assertEquals("hmac-sha256", api.requests().get(0).get("sign_type"));
        assertEquals("MD5", api.requests().get(1).get("sign_type"));
    }

    @Test
    void md5WhenTheTargetSaysSo() {
        ApiResponse r = new ElvesApiClient(new ApiTarget(URI.create(api.url()), FakeOpenApi.AUTH_ID, FakeOpenApi.KEY,
                Md5Signer.INSTANCE)).call("/api/v2/rt/exec", ip("10.0.0.1"), WAIT);
        assertTrue(r.ok(), r::error);
        assertEquals("MD5", api.requests().get(0).get("sign_type"));
        assertFalse(api.requests().get(0).containsKey("nonce"));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    @Test
    void answerIsParsedFromTheEnvelope() {
        ApiResponse r = client(api.url()).call("/api/v2/rt/exec", ip("10.0.0.1"), WAIT);
        assertTrue(r.answered() && r.ok(), r::error);
        assertEquals("hmac-sha256", api.requests().get(0).get("sign_type"));
        assertEquals(200, r.httpStatus());
        assertEquals("true", r.flag());
        assertEquals("", r.error());
        assertNull(r.errorCode());
        assertEquals("1", r.resultText("worker_flag"));
        assertNull(r.resultText("no_such_field"));
    }

    @Test
    void errorEnvelopeIsReadWhateverTheHttpStatus() {
        ApiResponse r = client(api.url()).call("/api/v2/rt/exec", ip("10.9.9.9"), WAIT);
        assertTrue(r.answered());
        assertFalse(r.ok());
        assertEquals(414, r.httpStatus());
        assertEquals(ErrorCode.AGENT_NOT_FOUND, r.errorCode());
        assertEquals("[414.1]Agent Info Not Found", r.error());
    }

    @Test
    void aBasePathIsPartOfTheSignedPath() {
        ApiResponse r = client(api.url() + "/elves/").call("/api/v2/rt/exec", ip("10.0.0.1"), WAIT);
        assertTrue(r.ok(), r::error);
        assertEquals("/elves/api/v2/rt/exec", api.paths().get(0));
    }

    @Test
    void somethingElseThanAnEnvelopeIsAnErrorSayingWhatCameBack() {
        ApiResponse r = client(api.url()).call("/api/v2/html", ip("10.0.0.1"), WAIT);
        assertTrue(r.answered());
        assertFalse(r.ok());
        assertEquals("HTTP 502, not an Elves API answer: <html><body><h1>502 Bad Gateway</h1></body></html>",
                r.error());
    }

    @Test
    void timeoutIsNoAnswerWithTheReason() {
        ApiResponse r = client(api.url()).call("/api/v2/rt/exec", ip("10.0.0.4"), Duration.ofMillis(300));
        assertFalse(r.answered());
        assertEquals(0, r.httpStatus());
        assertNull(r.flag());
        assertEquals("no answer from " + api.url() + " within 0.3 s", r.noAnswerReason());
    }

    @Test
    void signatureFieldsAreTheClientsToSet() {
        Map<String, String> p = ip("10.0.0.1");
        p.put(ApiSignature.TIMESTAMP, "1");
        assertThrows(IllegalArgumentException.class, () -> client(api.url()).call("/api/v2/rt/exec", p, WAIT));
        Map<String, String> n = ip("10.0.0.1");
        n.put(ApiSignature.NONCE, "chosen-by-the-caller");
        assertThrows(IllegalArgumentException.class, () -> client(api.url()).call("/api/v2/rt/exec", n, WAIT));
    }
}

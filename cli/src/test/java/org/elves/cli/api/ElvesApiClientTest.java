package org.elves.cli.api;

import org.elves.cli.FakeOpenApi;
import org.elves.protocol.ApiSignature;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void answerIsParsedFromTheEnvelope() {
        ApiResponse r = client(api.url()).call("/api/v2/rt/exec", ip("10.0.0.1"), WAIT);
        assertTrue(r.answered() && r.ok());
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
    }
}

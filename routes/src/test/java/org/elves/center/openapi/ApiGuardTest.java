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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiGuardTest {
    private static final String PATH = "/api/v2/rt/exec";
    private final ElvesConfig config = Center.configFor(List.of(Component.OPENAPI)).overrides(Map.of(
            "elves.openapi.auth.id", "1",
            "elves.openapi.auth.key", "123456",
            "elves.openapi.sign.window-seconds", "180")).build();
    private long now = 1_500_000_000L;
    private final ApiGuard guard = new ApiGuard(new SimpleKeyStore(config), config, () -> now);

    @AfterEach
    void close() {
        config.close();
    }

    @Test
    void referenceExampleBPasses() {
        guard.verify(request(exampleB("8b37574067067115e60272ab5a9c58aa")));
    }

    @Test
    void checksComeInTheReferenceOrder() {
        Map<String, String> p = exampleB("8b37574067067115e60272ab5a9c58aa");
        p.remove("timestamp");
        p.put("sign_type", "SHA1");
        assertCode(ErrorCode.MISSING_SIGN_PARAM, p);

        p = exampleB("short");
        p.put("sign_type", "SHA1");
        assertCode(ErrorCode.SIGN_TYPE_ILLEGAL, p);
        assertCode(ErrorCode.SIGN_LENGTH_ILLEGAL, exampleB("short"));

        p = exampleB("8b37574067067115e60272ab5a9c58aa");
        p.put("timestamp", "15e8");
        assertCode(ErrorCode.TIMESTAMP_ILLEGAL, p);

        now = 1_500_000_180L;
        assertCode(ErrorCode.SIGN_TIMEOUT, exampleB("8b37574067067115e60272ab5a9c58aa"));
        now = 1_500_000_179L;
        guard.verify(request(exampleB("8b37574067067115e60272ab5a9c58aa")));

        p = exampleB("8b37574067067115e60272ab5a9c58aa");
        p.put("auth_id", "2");
        assertCode(ErrorCode.AUTH_ID_NOT_FOUND, p);

        assertCode(ErrorCode.SIGN_ERROR, exampleB("00000000000000000000000000000000"));
    }

    @Test
    void aChangedParameterBreaksTheSignature() {
        Map<String, String> p = exampleB("8b37574067067115e60272ab5a9c58aa");
        p.put("ip", "192.168.1.11");
        assertCode(ErrorCode.SIGN_ERROR, p);
    }

    @Test
    void repeatedParametersAreRefusedWhenParsed() {
        ElvesException e = assertThrows(ElvesException.class,
                () -> ApiRequest.parse(PATH, "ip=1.2.3.4&ip=1.2.3.5", null));
        assertEquals(ErrorCode.PARAM_REPEATED, e.code());
    }

    @Test
    void queryAndFormBodyAreDecodedTogether() {
        ApiRequest r = ApiRequest.parse(PATH, "param=%7B%22my%22%3A%22x%22%7D", "app=apptest&func=hello+word");
        assertEquals("{\"my\":\"x\"}", r.get("param"));
        assertEquals("apptest", r.get("app"));
        assertEquals("hello word", r.get("func"));
        assertEquals("", r.get("absent"));
    }

    private void assertCode(ErrorCode expected, Map<String, String> params) {
        ElvesException e = assertThrows(ElvesException.class, () -> guard.verify(request(params)));
        assertEquals(expected, e.code(), e.getMessage());
    }

    private static ApiRequest request(Map<String, String> params) {
        return new ApiRequest(PATH, params);
    }

    private static Map<String, String> exampleB(String sign) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ip", "192.168.1.10");
        p.put("app", "apptest");
        p.put("func", "helloword");
        p.put("param", "{\"my\":\"toryzen\"}");
        p.put("timeout", "30");
        p.put("auth_id", "1");
        p.put("timestamp", "1500000000");
        p.put(ApiSignature.SIGN_TYPE, "MD5");
        p.put(ApiSignature.SIGN, sign);
        return p;
    }
}

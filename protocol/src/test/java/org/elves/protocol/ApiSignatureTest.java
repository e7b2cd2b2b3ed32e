package org.elves.protocol;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiSignatureTest {

    @Test
    void workedExampleAFromTheReference() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("key2", "value2");
        params.put("key1", "value1");
        params.put("auth_id", "x");
        params.put("timestamp", "1234567890");
        assertEquals("/foo/bar?auth_id=x&key1=value1&key2=value2&timestamp=1234567890",
                ApiSignature.stringToSign("/foo/bar", params));
        assertEquals("67faa730c6f2840ec07a9ae8e570df8c", ApiSignature.sign("/foo/bar", params, "testkey"));
    }

    @Test
    void workedExampleBARealRealtimeCall() {
        Map<String, String> params = exampleB();
        assertEquals("/api/v2/rt/exec?app=apptest&auth_id=1&func=helloword&ip=192.168.1.10"
                        + "&param={\"my\":\"toryzen\"}&timeout=30&timestamp=1500000000",
                ApiSignature.stringToSign("/api/v2/rt/exec", params));
        assertEquals("8b37574067067115e60272ab5a9c58aa", ApiSignature.sign("/api/v2/rt/exec", params, "123456"));
    }

    @Test
    void signAndSignTypeAreLeftOutAndUpperCaseSignsVerify() {
        Map<String, String> params = exampleB();
        params.put("sign_type", "MD5");
        params.put("sign", "whatever");
        assertTrue(ApiSignature.verify("/api/v2/rt/exec", params, "123456", "8B37574067067115E60272AB5A9C58AA"));
        assertFalse(ApiSignature.verify("/api/v2/rt/exec", params, "654321", "8b37574067067115e60272ab5a9c58aa"));
        assertFalse(ApiSignature.verify("/api/v2/rt/exec", params, "123456", null));
    }

    @Test
    void emptyValuesAreSignedAndLeadingDoubleSlashCollapses() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("b", "");
        params.put("a", "1");
        assertEquals("/x?a=1&b=", ApiSignature.stringToSign("//x", params));
    }

    /** The worked example of docs/api.md "Signing", HMAC-SHA256. */
    @Test
    void hmacWorkedExampleOfTheDocs() {
        Map<String, String> params = exampleB();
        params.put("nonce", "4f1c2b7e9a0d43c5");
        params.put("sign_type", "hmac-sha256");
        assertEquals("GET\n/api/v2/rt/exec\napp=apptest&auth_id=1&func=helloword&ip=192.168.1.10"
                        + "&nonce=4f1c2b7e9a0d43c5&param={\"my\":\"toryzen\"}&sign_type=hmac-sha256"
                        + "&timeout=30&timestamp=1500000000",
                ApiSignature.canonicalString("get", "/api/v2/rt/exec", params));
        String sign = "ab96214cec75d94e0134d19577c1e3e8bf6e23f6abcaf9a40fd98e4c4b9b3fd9";
        assertEquals(sign, ApiSignature.hmacSign("GET", "/api/v2/rt/exec", params, "123456"));
        params.put("sign", sign);
        assertTrue(ApiSignature.verifyHmac("GET", "/api/v2/rt/exec", params, "123456", sign.toUpperCase()));
        assertFalse(ApiSignature.verifyHmac("POST", "/api/v2/rt/exec", params, "123456", sign));
        assertFalse(ApiSignature.verifyHmac("GET", "/api/v2/rt/exec", params, "654321", sign));
        assertFalse(ApiSignature.verifyHmac("GET", "/api/v2/rt/exec", params, "123456", null));
        params.put("sign_type", "HMAC-SHA256");
        assertFalse(ApiSignature.verifyHmac("GET", "/api/v2/rt/exec", params, "123456", sign),
                "sign_type is signed as sent");
    }

    @Test
    void hmacSignsEmptyValuesInCodePointOrder() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("\uD83D\uDE00", "emoji");
        params.put("\uFF21", "fullwidth A");
        params.put("b", "");
        params.put("a", "1");
        params.put("sign", "left out");
        // UTF-16 order would put the surrogate pair (0xD83D) before U+FF21; UTF-8 bytes do not
        assertEquals("POST\n/x\na=1&b=&\uFF21=fullwidth A&\uD83D\uDE00=emoji",
                ApiSignature.canonicalString("POST", "//x", params));
    }

    @Test
    void noncesAreSixteenToSixtyFourSafeCharacters() {
        assertTrue(ApiSignature.validNonce("abcdefghijklmnop"));
        assertTrue(ApiSignature.validNonce("A-_9".repeat(16)));
        assertFalse(ApiSignature.validNonce("abcdefghijklmno"));
        assertFalse(ApiSignature.validNonce("a".repeat(65)));
        assertFalse(ApiSignature.validNonce("abcdefghijklmno="));
        assertFalse(ApiSignature.validNonce(null));
    }

    private static Map<String, String> exampleB() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ip", "192.168.1.10");
        params.put("app", "apptest");
        params.put("func", "helloword");
        params.put("param", "{\"my\":\"toryzen\"}");
        params.put("timeout", "30");
        params.put("auth_id", "1");
        params.put("timestamp", "1500000000");
        return params;
    }
}

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

package org.elves.agent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LightJsonTest {
    @Test
    void parsesEveryKindOfValue() throws IOException {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "ü\"x");
        expected.put("i", 7);
        expected.put("f", 1.5);
        expected.put("b", true);
        expected.put("n", null);
        expected.put("l", Arrays.asList("a", 2, Map.of("k", false)));
        assertEquals(expected, LightJson.parse("{\"s\":\"ü\\\"x\",\"i\":7,\"f\":1.5,\"b\":true,\"n\":null,\"l\":[\"a\",2,{\"k\":false}]}"));
    }

    @Test
    void rejectsBrokenOrTrailingText() {
        assertThrows(IOException.class, () -> LightJson.parse("{\"a\":"));
        assertThrows(IOException.class, () -> LightJson.parse("{} {}"));
        assertThrows(IOException.class, () -> LightJson.parse(""));
    }

    @Test
    void writesAnEscapedStringMap() throws IOException {
        Map<String, String> apps = new LinkedHashMap<>();
        apps.put("app\"1", "1.0");
        apps.put("中", "x\\y");
        String json = LightJson.write(apps);
        assertEquals("{\"app\\\"1\":\"1.0\",\"中\":\"x\\\\y\"}", json);
        assertEquals(apps, LightJson.parse(json));
    }
}

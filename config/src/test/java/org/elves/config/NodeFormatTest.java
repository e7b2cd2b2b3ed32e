package org.elves.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Content of config nodes: JSON objects flatten with dots, properties text is accepted too. */
class NodeFormatTest {
    private static Map<String, String> parse(String text) {
        return NodeFormat.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonObjectFlattensWithDotsAndValuesBecomeStrings() {
        Map<String, String> values = parse("""
                {"timeout": 90, "agent.port": 11101, "sign": {"window-seconds": 60, "strict": true},
                 "ratio": 1.5, "name": "x", "nothing": null, "authips": ["10.0.0.1", "10.0.0.2"],
                 "mixed": [{"a": 1}], "empty": {}}
                """);
        assertEquals(Map.of(
                "timeout", "90",
                "agent.port", "11101",
                "sign.window-seconds", "60",
                "sign.strict", "true",
                "ratio", "1.5",
                "name", "x",
                "authips", "10.0.0.1,10.0.0.2",
                "mixed", "[{\"a\":1}]"), values);
    }

    @Test
    void propertiesTextIsAccepted() {
        assertEquals(Map.of("timeout", "30", "agent.port", "11101", "note", "a b"),
                parse("# comment\ntimeout=30\nagent.port: 11101\nnote = a b\n"));
    }

    @Test
    void emptyNodeHasNoSettings() {
        assertEquals(Map.of(), NodeFormat.parse(null));
        assertEquals(Map.of(), NodeFormat.parse(new byte[0]));
        assertEquals(Map.of(), parse("  \n"));
    }

    @Test
    void byteOrderMarkIsIgnored() {
        assertEquals(Map.of("a", "1"), parse("\uFEFF{\"a\": 1}"));
    }

    @Test
    void malformedJsonIsRejectedWithoutQuotingTheContent() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("{\"password\": \"hunter2\", oops}"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertThrows(ConfigException.class, () -> parse("[1, 2]"));
        assertThrows(ConfigException.class, () -> parse("{\"a\": "));
    }

    @Test
    void renderWritesAFlatSortedObjectThatParsesBack() {
        byte[] json = NodeFormat.render(Map.of("b", 2, "a", "x", "c", true));
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.indexOf("\"a\"") < text.indexOf("\"b\""), text);
        assertTrue(text.contains("\"b\" : 2"), text);
        assertEquals(Map.of("a", "x", "b", "2", "c", "true"), NodeFormat.parse(json));
    }
}

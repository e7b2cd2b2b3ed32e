package org.elves.center.example.notes;

import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.elves.center.ComponentRoutes;
import org.elves.protocol.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worked example of docs/decisions.md 20 runs: a component made of the inbox and handler
 * templates and one bean serves its functions through rpc-serve as its inbox hands them over.
 */
@CamelMainTest(mockEndpointsAndSkip = ComponentRoutes.OUTGOING,
        replaceRouteFromWith = "notes-inbox=direct:notes-inbox-not-consuming")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotesRoutesTest {
    private final ComponentRoutes notes = new ComponentRoutes("notes", NotesConfiguration.class, List.of(
            "classpath:org/elves/center/example/notes/notes-inbox.camel.yaml",
            "classpath:org/elves/center/example/notes/notes-handlers.camel.yaml"), Map.of("elves.notes.max-length", "20"));

    @Configure
    void configure(MainConfigurationProperties main) {
        notes.configure(main);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOperatorsNotesAreKeptPerAgentNewestFirst() {
        Envelope first = notes.call("openapi", "addNote", Map.of("ip", "10.0.9.1", "text", "disk replaced", "actor", "ops"));
        assertEquals("true", first.body().get("flag"), first::toString);
        notes.call("openapi", "addNote", Map.of("ip", "10.0.9.1", "text", "rebooted", "actor", "ops"));
        notes.call("openapi", "addNote", Map.of("ip", "10.0.9.2", "text", "other agent"));

        Envelope listed = notes.call("openapi", "agentNotes", Map.of("ip", "10.0.9.1"));
        List<Map<String, Object>> result = (List<Map<String, Object>>) listed.body().get("result");
        assertEquals(List.of("rebooted", "disk replaced"), result.stream().map(n -> n.get("text")).toList());
        assertEquals(((Map<String, Object>) first.body().get("result")).get("id"), result.get(1).get("id"));
    }

    @Test
    void badInputIsRefusedWithTheReferencesCodesAndNothingIsKept() {
        Envelope badIp = notes.call("openapi", "addNote", Map.of("ip", "agent-1", "text", "x"));
        assertEquals("false", badIp.body().get("flag"));
        assertTrue(String.valueOf(badIp.body().get("error")).startsWith("[403.1]"), badIp::toString);
        Envelope tooLong = notes.call("openapi", "addNote", Map.of("ip", "10.0.9.3", "text", "longer than twenty characters"));
        assertTrue(String.valueOf(tooLong.body().get("error")).startsWith("[403.2]"), tooLong::toString);
        assertEquals(List.of(), notes.call("openapi", "agentNotes", Map.of("ip", "10.0.9.3")).body().get("result"));
    }
}

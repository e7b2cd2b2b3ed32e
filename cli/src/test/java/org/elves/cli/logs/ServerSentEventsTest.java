package org.elves.cli.logs;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The event-stream format as servers write it: comments, several data lines, CRLF, a cut-off end. */
class ServerSentEventsTest {
    private static List<ServerSentEvents.Event> read(String text) throws IOException {
        BufferedReader reader = new BufferedReader(new StringReader(text));
        ServerSentEvents events = new ServerSentEvents(reader::readLine);
        List<ServerSentEvents.Event> all = new ArrayList<>();
        ServerSentEvents.Event e;
        while ((e = events.next()) != null) {
            all.add(e);
        }
        return all;
    }

    @Test
    void eventsDataLinesAndCommentsAsTheStandardSays() throws IOException {
        String text = ": keep-alive\n\n"
                + "event: output\ndata: {\"seq\":1}\n\n"
                + "event:end\r\ndata:{\"a\":1}\r\nid: 7\r\nretry: 100\r\n\r\n"
                + "data: first\ndata:  second\n: a comment inside\n\n"
                + "event: lonely\n\n"
                + "event: cut\ndata: never ended";
        assertEquals(List.of(
                new ServerSentEvents.Event("output", "{\"seq\":1}"),
                new ServerSentEvents.Event("end", "{\"a\":1}"),
                new ServerSentEvents.Event("message", "first\n second")), read(text));
    }

    @Test
    void anEmptyStreamHasNoEvents() throws IOException {
        assertEquals(List.of(), read(""));
        assertEquals(List.of(), read(": only comments\n\n: more\n"));
    }
}

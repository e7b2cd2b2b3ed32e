package org.elves.cli.logs;

import java.io.IOException;

/**
 * Reads server-sent events (the HTML living standard's {@code text/event-stream}) from an open
 * stream: {@code event:} names the event ({@code message} when absent), {@code data:} lines are
 * joined with newlines, a blank line ends an event, lines starting with {@code :} are comments
 * (the server's keep-alives) and other fields ({@code id:}, {@code retry:}) are ignored.
 */
final class ServerSentEvents {
    /** One event as it came: its name and its data. */
    record Event(String name, String data) {
    }

    /** Where the lines come from: an open {@link org.elves.cli.api.ApiStream}'s readLine. */
    @FunctionalInterface
    interface Lines {
        /** The next line without its end; null at the end of the stream. */
        String readLine() throws IOException;
    }

    private final Lines stream;

    ServerSentEvents(Lines stream) {
        this.stream = stream;
    }

    /** The next event; null when the stream ended (an event cut off by the end is dropped). */
    Event next() throws IOException {
        String name = null;
        StringBuilder data = null;
        String line;
        while ((line = stream.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(name == null ? "message" : name, data.toString());
                }
                name = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                name = value;
            } else if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return null;
    }
}

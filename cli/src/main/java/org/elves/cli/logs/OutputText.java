package org.elves.cli.logs;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.TextLines;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A task's recorded output ({@code output} of {@code /logs/task}) as text: the chunks in seq
 * order; when stdout and stderr are mixed, each stderr line starts with {@code stderr| }; where
 * the Watcher left the middle out ({@code truncated}), a line {@code [... N bytes left out ...]}
 * at the first gap in the seq numbers, else at the end.
 */
final class OutputText {
    static final String STDERR_PREFIX = "stderr| ";

    private OutputText() {
    }

    /** The mark of a part of the output that was counted, not kept. */
    static String leftOut(long bytes) {
        return bytes > 0 ? "[... " + bytes + " bytes left out ...]" : "[... output left out ...]";
    }

    static List<String> lines(JsonNode output) {
        List<JsonNode> chunks = new ArrayList<>();
        output.path("chunks").forEach(chunks::add);
        chunks.sort(Comparator.comparingLong(c -> c.path("seq").asLong()));
        boolean mixed = chunks.stream().map(OutputText::stream).distinct().count() > 1;
        boolean truncated = output.path("truncated").asBoolean(false) || output.path("dropped_bytes").asLong(0) > 0;
        Text text = new Text();
        long previousSeq = Long.MIN_VALUE;
        String previousStream = null;
        boolean marked = false;
        for (JsonNode chunk : chunks) {
            long seq = chunk.path("seq").asLong();
            if (truncated && !marked && previousStream != null && seq != previousSeq + 1) {
                text.mark(output);
                marked = true;
            }
            String stream = stream(chunk);
            if (mixed && previousStream != null && !stream.equals(previousStream)) {
                text.endLine();
            }
            text.append(TextLines.field(chunk, "data"), mixed && stream.equals("stderr"));
            previousSeq = seq;
            previousStream = stream;
        }
        if (truncated && !marked) {
            text.mark(output);
        }
        return text.lines();
    }

    private static String stream(JsonNode chunk) {
        return "stderr".equals(TextLines.field(chunk, "stream")) ? "stderr" : "stdout";
    }

    /** The text being built, and whether it stands at the start of a line. */
    private static final class Text {
        private final StringBuilder sb = new StringBuilder();
        private boolean lineStart = true;

        void append(String data, boolean prefixed) {
            for (int i = 0; i < data.length(); i++) {
                char c = data.charAt(i);
                if (lineStart && prefixed) {
                    sb.append(STDERR_PREFIX);
                }
                sb.append(c);
                lineStart = c == '\n';
            }
        }

        void endLine() {
            if (!lineStart) {
                sb.append('\n');
                lineStart = true;
            }
        }

        void mark(JsonNode output) {
            endLine();
            sb.append(leftOut(output.path("dropped_bytes").asLong(0))).append('\n');
        }

        List<String> lines() {
            if (sb.length() == 0) {
                return List.of();
            }
            String s = sb.toString();
            if (lineStart) {
                // the final newline ends the last line; it starts no empty one
                s = s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s.substring(0, s.length() - 1);
            }
            return List.of(s.split("\\R", -1));
        }
    }
}

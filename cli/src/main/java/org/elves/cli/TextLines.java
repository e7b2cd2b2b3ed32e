package org.elves.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Small text helpers shared by the commands' one-line-per-item reports. */
public final class TextLines {
    private static final String CUT = "...";

    private TextLines() {
    }

    /** The first line, with a note of how many more there are; "" for null or blank text. */
    public static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String[] lines = text.strip().split("\\R");
        return lines.length == 1 ? lines[0] : lines[0] + " (+" + (lines.length - 1) + " lines)";
    }

    /** The line without trailing blanks, cut with "..." to fit the given number of columns. */
    public static String fit(String line, int columns) {
        String s = line.stripTrailing();
        return s.length() <= columns ? s : s.substring(0, Math.max(0, columns - CUT.length())) + CUT;
    }

    /** "-" for a value that is absent or empty, so table columns never collapse. */
    public static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    /**
     * A field of an API record as text whatever its JSON type ("1" for 1, the JSON of an object
     * or array), "" when absent or null.
     */
    public static String field(JsonNode node, String name) {
        JsonNode v = node.path(name);
        return v.isMissingNode() || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
    }
}

package org.elves.cli.exec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import org.elves.protocol.Json;

/**
 * Checks a JSON command-line argument (an app's {@code param}) before it goes anywhere, so a
 * quoting mistake in the shell is reported here, with the place, not as a 403.2 from the center.
 */
public final class JsonArgument {
    /** Strict: "{} x" is a mistake, not a JSON document followed by noise to ignore. */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonArgument() {
    }

    /** Throws IllegalArgumentException naming the option and what is wrong where. */
    public static void check(String option, String text) {
        try {
            READER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(option + " is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (at column " + at.getColumnNr() + ")")
                    + "; quote it for the shell, as in " + option + " '{\"name\":\"value\"}'");
        }
    }
}

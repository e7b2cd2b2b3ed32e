package org.elves.center.scheduler;

import org.elves.protocol.ElvesException;

import java.util.Map;
import java.util.function.Function;

/**
 * Reads the body of a cast to the Scheduler into its contract record. A cast has nobody to
 * answer: its refusal becomes the IllegalArgumentException the routes log before dropping it.
 */
final class CastBodies {
    private CastBodies() {
    }

    static <T> T read(Function<Map<String, Object>, T> fromMap, Map<String, Object> body) {
        try {
            return fromMap.apply(body);
        } catch (ElvesException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}

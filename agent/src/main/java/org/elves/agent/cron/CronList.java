package org.elves.agent.cron;

import org.elves.agent.LightJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole set of agent-side crons the center wants on an agent, with the center's opaque
 * version: {@code {"version":"...","crons":[...]}} (argument of {@code AgentService.cronSync}
 * and the {@code "crons"} key of heartbeat answers). Entries that cannot run (bad rule, unknown
 * time zone, missing field, repeated id) are left out, each logged as an error naming its id.
 */
public record CronList(String version, List<CronEntry> crons) {
    private static final Logger LOG = LoggerFactory.getLogger(CronList.class);

    public CronList {
        version = version == null ? "" : version;
        crons = List.copyOf(crons);
    }

    /**
     * @param json  the JSON text, or the already parsed object (a Map)
     * @param agent who logs the skipped entries (the agent's ip)
     * @throws IllegalArgumentException when the document itself is unusable (not JSON, not an
     *                                  object, "crons" not a list); nothing is then applied
     */
    public static CronList parse(Object json, String agent) {
        Object root = json;
        if (json instanceof String) {
            try {
                root = LightJson.parse((String) json);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cron list is not JSON: " + e.getMessage());
            }
        }
        if (!(root instanceof Map)) {
            throw new IllegalArgumentException("cron list must be a JSON object {\"version\":...,\"crons\":[...]}");
        }
        Map<?, ?> m = (Map<?, ?>) root;
        Object version = m.get("version");
        Object list = m.get("crons");
        if (list != null && !(list instanceof List)) {
            throw new IllegalArgumentException("\"crons\" of the cron list must be a JSON array");
        }
        List<CronEntry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (Object item : list == null ? List.of() : (List<?>) list) {
            Object id = item instanceof Map ? ((Map<?, ?>) item).get("id") : null;
            try {
                CronEntry e = CronEntry.from(item);
                if (!ids.add(e.id())) {
                    throw new IllegalArgumentException("id repeated in the list; the first one is kept");
                }
                entries.add(e);
            } catch (IllegalArgumentException e) {
                LOG.error("agent {}: agent-side cron {} (entry {} of version {}) skipped: {}", agent,
                        id == null ? "without id" : id, index, version, e.getMessage());
            }
            index++;
        }
        return new CronList(version == null ? "" : version.toString(), entries);
    }
}

package org.elves.center.heartbeat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The heartbeat answer's {@code data} for one agent. An original agent (reference §8.4) runs
 * exactly what {@code data} lists: it installs what is new, updates what differs and removes from
 * its cfg.apps every app not listed. So besides the apps the center wants on the agent, {@code data}
 * keeps the apps the agent reported that the center does not manage (installed by hand): an
 * answer never makes an original agent drop them. An app the center manages but does not want
 * on this agent is left out, so revoking it still removes it.
 */
final class AgentAppList {
    private AgentAppList() {
    }

    /**
     * @param wanted   app → version the center wants on this agent; these versions win
     * @param managed  the apps whose placement the center decides (wanted ones count as managed)
     * @param reported app → version of the agent's heartbeat {@code apps}
     */
    static Map<String, Object> data(Map<String, Object> wanted, Set<String> managed, Map<String, Object> reported) {
        Map<String, Object> data = new LinkedHashMap<>(wanted);
        reported.forEach((app, version) -> {
            if (!managed.contains(app)) {
                data.putIfAbsent(app, version);
            }
        });
        return data;
    }
}

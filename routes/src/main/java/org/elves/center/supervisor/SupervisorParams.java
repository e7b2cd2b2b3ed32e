package org.elves.center.supervisor;

import org.elves.center.common.AgentSet;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.elves.center.common.JobParams.text;

/** The Supervisor's request parameters, checked: what they may hold ends up in paths and agent sets. */
final class SupervisorParams {
    private static final Pattern APP = Pattern.compile("[a-z0-9][a-z0-9-]{0,29}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,29}");

    private SupervisorParams() {
    }

    static String app(Map<String, Object> body) {
        String app = text(body.get("app"));
        if (!APP.matcher(app).matches()) {
            throw new ElvesException(ErrorCode.PARAM_APP, "app must be 1-30 of a-z, 0-9 and -, starting with a letter or digit; got '" + app + "'");
        }
        return app;
    }

    static String version(Map<String, Object> body) {
        String version = text(body.get("version"));
        if (!VERSION.matcher(version).matches()) {
            throw new ElvesException(ErrorCode.PARAM_VERSION, "version must be 1-30 of A-Z, a-z, 0-9, . and -; got '" + version + "'");
        }
        return version;
    }

    /**
     * "*", or a comma list of IPv4 addresses, networks (a.b.c.d/n) and categories (@name, defined
     * by elves.supervisor.category.<name>), in order, without repeats.
     */
    static List<String> agents(Map<String, Object> body) {
        String text = text(body.get("agents"));
        if (text.equals(AgentSet.EVERY_AGENT)) {
            return List.of(AgentSet.EVERY_AGENT);
        }
        List<String> entries = new ArrayList<>();
        for (String entry : text.split(",")) {
            String trimmed = entry.trim();
            if (!AgentSet.isIp(trimmed) && !AgentSet.isNetwork(trimmed) && !AgentSet.isCategory(trimmed)) {
                throw new ElvesException(ErrorCode.PARAM_AGENTS, "agents must be * or IPv4 addresses, networks (a.b.c.d/n) "
                        + "or categories (@name) separated by commas; '" + trimmed + "' is none");
            }
            if (!entries.contains(trimmed)) {
                entries.add(trimmed);
            }
        }
        return entries;
    }
}

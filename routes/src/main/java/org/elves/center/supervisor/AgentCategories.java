package org.elves.center.supervisor;

import org.elves.center.common.AgentSet;
import org.elves.config.ElvesConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent categories (@name) of deployments and grants, defined by
 * elves.supervisor.category.&lt;name&gt; (read at each use, so a change in ZooKeeper applies at
 * the next table; the CMDBProxy will provide them later).
 */
public class AgentCategories {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCategories.class);

    private final ElvesConfig config;

    public AgentCategories(ElvesConfig config) {
        this.config = config;
    }

    /** The entries with each category replaced by its members. */
    List<String> resolved(List<String> entries) {
        List<String> out = new ArrayList<>();
        for (String entry : entries) {
            if (!AgentSet.isCategory(entry)) {
                out.add(entry);
                continue;
            }
            String members = config.optional("elves.supervisor.category." + entry.substring(1)).map(String::trim)
                    .orElse("");
            if (members.isEmpty()) {
                LOG.warn("category {} is not defined (elves.supervisor.category.{}): it holds no agent", entry, entry.substring(1));
            }
            for (String m : members.split(",")) {
                String member = m.trim();
                if ((AgentSet.isIp(member) || AgentSet.isNetwork(member)) && !out.contains(member)) {
                    out.add(member);
                }
            }
        }
        return out;
    }
}

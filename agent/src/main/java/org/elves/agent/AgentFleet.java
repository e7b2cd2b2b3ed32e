package org.elves.agent;

import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.IpRanges;
import org.elves.agent.runner.LaunchMechanism;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Many emulated agents in one JVM, one per address (127.0.0.2, 127.0.0.3, ...): each binds its own
 * address, has its own identity, heartbeat, task memory and state dir ({@code <statedir>/<ip>}),
 * and shares the runner and timer threads and the apps dir. For benchmarks and fan-out tests.
 */
public final class AgentFleet implements AutoCloseable {
    private final List<ElvesAgent> agents;
    private final AgentRuntime runtime;

    private AgentFleet(List<ElvesAgent> agents, AgentRuntime runtime) {
        this.agents = Collections.unmodifiableList(agents);
        this.runtime = runtime;
    }

    /**
     * Starts one agent per address, each with the template's settings except ip, asset, bind and
     * ipList (all set to its address) and stateDir ({@code <template's stateDir>/<address>});
     * returns once every port accepts connections.
     *
     * @throws IOException when an address cannot be bound; agents already started are closed
     */
    public static AgentFleet start(AgentSettings template, List<String> ips) throws IOException {
        LaunchMechanism.preferFast();
        AgentRuntime runtime = new AgentRuntime(template.asyncWorkers(), template.asyncQueue());
        List<ElvesAgent> started = new ArrayList<>(ips.size());
        try {
            for (String ip : ips) {
                AgentSettings s = template.toBuilder().ip(ip).asset(ip).bind(ip).ipList(List.of(ip))
                        .stateDir(template.stateDir().resolve(ip)).build();
                started.add(ElvesAgent.start(s, runtime));
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(ElvesAgent::close);
            runtime.close();
            throw e;
        }
        return new AgentFleet(started, runtime);
    }

    /** {@code "127.0.0.2-127.0.0.101"} or {@code "127.0.0.2,127.0.0.5"} (combinable) as a list. */
    public static List<String> expand(String spec) {
        return IpRanges.expand(spec);
    }

    public List<ElvesAgent> agents() {
        return agents;
    }

    /** The agent with this ip, or null. */
    public ElvesAgent agent(String ip) {
        for (ElvesAgent a : agents) {
            if (a.ip().equals(ip)) {
                return a;
            }
        }
        return null;
    }

    public int size() {
        return agents.size();
    }

    @Override
    public void close() {
        agents.forEach(ElvesAgent::close);
        runtime.close();
    }
}

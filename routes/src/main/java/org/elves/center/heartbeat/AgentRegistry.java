package org.elves.center.heartbeat;

import org.elves.protocol.Json;
import org.elves.protocol.thrift.AgentInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the center knows of every agent from its heartbeats. An agent is online when its last
 * heartbeat is younger than {@code onlineIntervals} of its own period (default 3 x 10 s).
 */
public class AgentRegistry {
    private final Map<String, AgentState> agents = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final LongSupplier defaultIntervalMs;
    private final LongSupplier onlineIntervals;

    public AgentRegistry(LongSupplier clock, LongSupplier defaultIntervalMs, LongSupplier onlineIntervals) {
        this.clock = clock;
        this.defaultIntervalMs = defaultIntervalMs;
        this.onlineIntervals = onlineIntervals;
    }

    /** Records a heartbeat; the agent's ip is its identity. */
    public AgentState record(AgentInfo info) {
        if (info == null || info.getIp() == null || info.getIp().isBlank()) {
            throw new IllegalArgumentException("heartbeat without an agent ip");
        }
        long now = clock.getAsLong();
        return agents.compute(info.getIp(), (ip, known) -> new AgentState(info.deepCopy(), parseApps(info.getApps()),
                now, known == null ? now : Math.min(known.firstSeen(), now)));
    }

    /**
     * What another Heartbeat instance recorded of an agent ({@link BeatSharing}): kept when it is
     * newer than what this one knows; the first sighting is the earliest either saw.
     */
    public void merge(AgentInfo info, long lastSeen, long firstSeen) {
        if (info == null || info.getIp() == null || info.getIp().isBlank()) {
            return;
        }
        agents.compute(info.getIp(), (ip, known) -> {
            if (known == null) {
                return new AgentState(info, parseApps(info.getApps()), lastSeen, firstSeen);
            }
            long first = Math.min(known.firstSeen(), firstSeen);
            return lastSeen > known.lastSeen()
                    ? new AgentState(info, parseApps(info.getApps()), lastSeen, first)
                    : new AgentState(known.info(), known.apps(), known.lastSeen(), first);
        });
    }

    public AgentState find(String ip) {
        return ip == null ? null : agents.get(ip);
    }

    public boolean isOnline(AgentState state) {
        long interval = state.info().isSetInterval() && state.info().getInterval() > 0
                ? state.info().getInterval() * 1000L : defaultIntervalMs.getAsLong();
        return clock.getAsLong() - state.lastSeen() <= interval * onlineIntervals.getAsLong();
    }

    public List<AgentState> online() {
        List<AgentState> result = new ArrayList<>();
        for (AgentState s : agents.values()) {
            if (isOnline(s)) {
                result.add(s);
            }
        }
        return result;
    }

    public Collection<AgentState> all() {
        return agents.values();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseApps(String apps) {
        if (apps == null || apps.isBlank()) {
            return Map.of();
        }
        try {
            return Map.copyOf((Map<String, Object>) (Map<?, ?>) Json.object(apps));
        } catch (IllegalArgumentException e) {
            // an agent with a garbled app list is still alive; it just reports no apps
            return Map.of();
        }
    }

    /** One agent's last heartbeat. */
    public record AgentState(AgentInfo info, Map<String, Object> apps, long lastSeen, long firstSeen) {
        public String ip() {
            return info.getIp();
        }

        public String asset() {
            return info.getId() == null || info.getId().isEmpty() ? info.getIp() : info.getId();
        }
    }
}

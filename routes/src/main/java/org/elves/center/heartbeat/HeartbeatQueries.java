package org.elves.center.heartbeat;

import org.elves.center.contract.AgentQuery;
import org.elves.center.contract.AgentStatus;
import static org.elves.center.rpc.Replies.ok;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ElvesTime;
import org.elves.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Heartbeat component's rpc handlers: online status and agent information. */
public class HeartbeatQueries {
    private final AgentRegistry registry;
    private final HeartbeatWarmup warmup;
    private final BeatSharing sharing;

    public HeartbeatQueries(AgentRegistry registry, HeartbeatWarmup warmup, BeatSharing sharing) {
        this.registry = registry;
        this.warmup = warmup;
        this.sharing = sharing;
    }

    /**
     * {@link AgentQuery} → {@link AgentStatus}; unknown agent → 414.1. While this process is
     * warming up ({@link HeartbeatWarmup}) an agent it has not heard from yet is no error but
     * "unknown" with the warm-up left: its first beat may still be on its way. So is an agent's
     * first beat to another instance for a moment ({@link BeatSharing#lagMs}). Only the
     * Scheduler asks this (before sending a task), and it asks again until the warm-up is over.
     */
    public Map<String, Object> getStatByIp(Map<String, Object> body) {
        String ip = AgentQuery.fromMap(body).ip();
        AgentRegistry.AgentState state = registry.find(ip);
        long left = state == null ? Math.max(warmup.leftMs(), sharing.lagMs()) : 0;
        if (left > 0) {
            return ok(AgentStatus.warmingUp(ip, left).toMap());
        }
        return ok(stat(known(ip)));
    }

    /** {iplist:[...]} → [{ip, online, ...}], unknown agents listed with online "false" and known "false". */
    public Map<String, Object> getStatByIpList(Map<String, Object> body) {
        Object list = body.get("iplist");
        if (!(list instanceof List<?> ips)) {
            throw new ElvesException(ErrorCode.PARAM_IP, "iplist must be a list of addresses");
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object ip : ips) {
            AgentRegistry.AgentState state = registry.find(String.valueOf(ip));
            if (state == null) {
                Map<String, Object> unknown = new LinkedHashMap<>();
                unknown.put("ip", String.valueOf(ip));
                unknown.put("known", "false");
                unknown.put("online", "false");
                result.add(unknown);
            } else {
                result.add(stat(state));
            }
        }
        return ok(result);
    }

    /** {ip} → everything the agent reported, online or not; unknown agent → 414.1. */
    public Map<String, Object> getInfoByIp(Map<String, Object> body) {
        AgentRegistry.AgentState state = known(AgentQuery.fromMap(body).ip());
        Map<String, Object> info = stat(state);
        info.put("asset", state.asset());
        info.put("type", state.info().getType() == null ? "" : state.info().getType());
        info.put("version", state.info().getVersion() == null ? "" : state.info().getVersion());
        info.put("start_time", state.info().isSetStartTime() ? ElvesTime.format(state.info().getStartTime()) : "");
        info.put("ip_list", state.info().getIpList() == null ? List.of(state.ip()) : state.info().getIpList());
        info.put("first_hb_time", ElvesTime.format(state.firstSeen()));
        return ok(info);
    }

    /** The reference's agentInfo: {ip} → {ip, asset, last_hb_time, apps}; unknown or offline → 414.1. */
    public Map<String, Object> agentInfo(Map<String, Object> body) {
        AgentRegistry.AgentState state = known(AgentQuery.fromMap(body).ip());
        if (!registry.isOnline(state)) {
            throw new ElvesException(ErrorCode.AGENT_NOT_FOUND, state.ip() + " is offline");
        }
        return ok(reference(state));
    }

    /** The reference's agentList: online agents, optionally filtered by ip and asset. */
    public Map<String, Object> agentList(Map<String, Object> body) {
        String ip = text(body.get("ip"));
        String asset = text(body.get("asset"));
        List<Map<String, Object>> result = new ArrayList<>();
        for (AgentRegistry.AgentState state : registry.online()) {
            if ((ip.isEmpty() || ip.equals(state.ip())) && (asset.isEmpty() || asset.equals(state.asset()))) {
                result.add(reference(state));
            }
        }
        result.sort((a, b) -> String.valueOf(a.get("ip")).compareTo(String.valueOf(b.get("ip"))));
        Map<String, Object> answer = ok(result);
        answer.put("count", result.size());
        return answer;
    }

    /** Counts: total known, online, offline, and online per agent type. */
    public Map<String, Object> getOnlineStat(Map<String, Object> body) {
        int online = 0;
        int total = 0;
        Map<String, Integer> byType = new TreeMap<>();
        for (AgentRegistry.AgentState state : registry.all()) {
            total++;
            if (registry.isOnline(state)) {
                online++;
                String type = state.info().getType() == null || state.info().getType().isEmpty()
                        ? "unknown" : state.info().getType();
                byType.merge(type + "online", 1, Integer::sum);
            }
        }
        Map<String, Object> stat = new LinkedHashMap<>();
        stat.put("total", total);
        stat.put("totalonline", online);
        stat.put("offline", total - online);
        stat.putAll(byType);
        return ok(stat);
    }

    /** Apps reported by online agents: {app: {versions:[...], agents:n}}. */
    public Map<String, Object> appList(Map<String, Object> body) {
        Map<String, Map<String, Object>> apps = new TreeMap<>();
        for (AgentRegistry.AgentState state : registry.online()) {
            for (Map.Entry<String, Object> app : state.apps().entrySet()) {
                Map<String, Object> entry = apps.computeIfAbsent(app.getKey(), k -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("versions", new ArrayList<String>());
                    m.put("agents", 0);
                    return m;
                });
                @SuppressWarnings("unchecked")
                List<String> versions = (List<String>) entry.get("versions");
                String version = String.valueOf(app.getValue());
                if (!versions.contains(version)) {
                    versions.add(version);
                }
                entry.put("agents", (Integer) entry.get("agents") + 1);
            }
        }
        return ok(apps);
    }

    private Map<String, Object> stat(AgentRegistry.AgentState state) {
        return AgentStatus.known(state.ip(), registry.isOnline(state), ElvesTime.format(state.lastSeen()),
                state.info().isSetPort() ? state.info().getPort() : 0, state.apps()).toMap();
    }

    private static Map<String, Object> reference(AgentRegistry.AgentState state) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("ip", state.ip());
        info.put("asset", state.asset());
        info.put("last_hb_time", ElvesTime.format(state.lastSeen()));
        info.put("apps", state.apps());
        if (state.info().isSetAppStatus()) {
            // how distributed apps fared on the agent (ours; an original agent sends none)
            info.put("app_status", appStatus(state.info().getAppStatus()));
        }
        return info;
    }

    private static Object appStatus(String json) {
        try {
            return org.elves.protocol.Json.object(json);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private AgentRegistry.AgentState known(String ip) {
        AgentRegistry.AgentState state = registry.find(ip);
        if (state == null) {
            throw new ElvesException(ErrorCode.AGENT_NOT_FOUND, ip + " has never sent a heartbeat");
        }
        return state;
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value).trim();
    }
}

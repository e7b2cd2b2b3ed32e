package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.center.contract.AgentQuery;
import org.elves.center.rpc.Replies;
import org.elves.center.rpc.RpcCodec;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The info endpoints (reference §3.4.1-3). In simple mode the one key owns every app and agent,
 * so /info/app lists every app online agents report and /info/agents every online agent.
 */
public class InfoApi {
    private static final String DETAIL_IP = "ElvesDetailIp";
    /** Set when showcron=true: the ip whose crons the detail answer lists. */
    private static final String SHOW_CRON = "ElvesShowCron";
    /** The detail while the Cron component is asked for the agent's crons. */
    public static final String AGENT_DETAIL = "ElvesAgentDetail";
    /** Exchange property: the answer comes from the Supervisor, already in the reference's shape. */
    private static final String FROM_SUPERVISOR = "ElvesFromSupervisor";
    private final ElvesConfig config;

    public InfoApi(ElvesConfig config) {
        this.config = config;
    }

    /**
     * An admin key sees every app the agents report (Heartbeat); a Supervisor key its app, as the
     * reference answers (supervisor.appInfo: one object, the key's first grant).
     */
    public Map<String, Object> appsQuery(ApiRequest request, Exchange exchange) {
        if (!request.key().admin()) {
            return supervisor(exchange, "appInfo", request);
        }
        return heartbeat(exchange, "appList", new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> apps(Map<String, Object> reply, Exchange exchange) {
        if (!Replies.isOk(reply) || exchange.getProperty(FROM_SUPERVISOR) != null) {
            return reply;
        }
        List<Map<String, Object>> apps = new ArrayList<>();
        ((Map<String, Object>) reply.get("result")).forEach((app, info) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("app", app);
            entry.put("app_name", app);
            entry.put("app_ver", String.join(",", (List<String>) ((Map<String, Object>) info).get("versions")));
            entry.put("agents", ((Map<String, Object>) info).get("agents"));
            entry.put("last_update_time", "");
            apps.add(entry);
        });
        return Replies.ok(apps);
    }

    /**
     * An admin key, or one granted every agent, sees the online agents (Heartbeat); another
     * Supervisor key the agents it was granted (supervisor.agentList).
     */
    public Map<String, Object> agentsQuery(ApiRequest request, Exchange exchange) {
        ApiKey key = request.key();
        boolean everyAgent = key.admin() || key.grants().values().stream().anyMatch(a -> a.contains(ApiKey.EVERY_AGENT));
        if (!everyAgent) {
            return supervisor(exchange, "agentList", request);
        }
        return heartbeat(exchange, "agentList", new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> agents(Map<String, Object> reply, Exchange exchange) {
        if (!Replies.isOk(reply) || exchange.getProperty(FROM_SUPERVISOR) != null) {
            return reply;
        }
        List<String> ips = new ArrayList<>();
        for (Map<String, Object> agent : (List<Map<String, Object>>) reply.get("result")) {
            ips.add(String.valueOf(agent.get("ip")));
        }
        return Replies.ok(ips);
    }

    public Map<String, Object> detailQuery(ApiRequest request, Exchange exchange) {
        boolean showCron = ApiParams.flag(request, "showcron");
        if (showCron && !config.requireBoolean("elves.openapi.cron.enabled")) {
            throw new ElvesException(ErrorCode.MODULE_CRON_DISABLED);
        }
        String ip = ApiParams.ip(request);
        exchange.setProperty(DETAIL_IP, ip);
        exchange.setProperty(SHOW_CRON, showCron);
        return heartbeat(exchange, "agentInfo", new AgentQuery(ip).toMap());
    }

    /**
     * The reference's detail: the heartbeat answer without its apps field. With showcron=true
     * it is kept in {@link #AGENT_DETAIL} for {@link #cronListQuery} and {@link #withCronList}.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> detail(Map<String, Object> reply, Exchange exchange) {
        if (!Replies.isOk(reply)) {
            return reply;
        }
        Map<String, Object> info = new LinkedHashMap<>((Map<String, Object>) reply.get("result"));
        info.remove("apps");
        if (Boolean.TRUE.equals(exchange.getProperty(SHOW_CRON, Boolean.class))) {
            exchange.setProperty(AGENT_DETAIL, info);
        }
        return Replies.ok(info);
    }

    /** showcron: cron.cronList {ip} for the agent of the detail. */
    public Map<String, Object> cronListQuery(Exchange exchange) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("ip", exchange.getProperty(DETAIL_IP, String.class));
        exchange.setProperty(RpcCodec.FROM, "openapi");
        exchange.setProperty(RpcCodec.TO, "cron");
        exchange.setProperty(RpcCodec.FUNC, "cronList");
        return query;
    }

    /** The detail with cronList's result (the cron ids, newest first) as cron_list; a failed list fails the call. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> withCronList(Map<String, Object> reply, Exchange exchange) {
        if (!Replies.isOk(reply)) {
            return reply;
        }
        Map<String, Object> info = new LinkedHashMap<>(exchange.getProperty(AGENT_DETAIL, Map.class));
        Object ids = reply.get("result");
        info.put("cron_list", ids instanceof List<?> ? ids : List.of());
        return Replies.ok(info);
    }

    private static Map<String, Object> supervisor(Exchange exchange, String func, ApiRequest request) {
        exchange.setProperty(FROM_SUPERVISOR, true);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("auth_id", request.get(org.elves.protocol.ApiSignature.AUTH_ID));
        return ComponentCalls.call(exchange, "supervisor", func, body);
    }

    private static Map<String, Object> heartbeat(Exchange exchange, String func, Map<String, Object> body) {
        exchange.setProperty(RpcCodec.FROM, "openapi");
        exchange.setProperty(RpcCodec.TO, "heartbeat");
        exchange.setProperty(RpcCodec.FUNC, func);
        return body;
    }
}

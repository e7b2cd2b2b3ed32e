package org.elves.center.scheduler;

import org.apache.camel.Exchange;
import org.elves.center.contract.CronPush;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.Json;
import org.elves.protocol.thrift.Instruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * cronPush cast from Cron {ip, crons:{version, crons}}: the agent's new list of agent-side crons,
 * handed over with AgentService.cronSync as soon as it changed (route scheduler.cronPush). Every
 * failure is only logged: the Heartbeat's answers carry the same list, so an agent offline now
 * gets it with its next beat.
 */
public class AgentCronPush {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCronPush.class);
    /** Exchange property: the list's JSON text. */
    public static final String CRONS = "ElvesAgentCrons";

    private final AgentClient agents;
    private final ElvesConfig config;
    private final OnlineCheck online;

    public AgentCronPush(AgentClient agents, ElvesConfig config, OnlineCheck online) {
        this.agents = agents;
        this.config = config;
        this.online = online;
    }

    /**
     * Keeps the list on the exchange; returns the Heartbeat query for the agent's port.
     *
     * @throws IllegalArgumentException when the body names no agent or holds no list (logged, dropped)
     */
    public Map<String, Object> accept(Map<String, Object> body, Exchange exchange) {
        CronPush push = CastBodies.read(CronPush::fromMap, body);
        exchange.setProperty(CRONS, Json.text(push.crons().toMap()));
        return online.queryAgent(push.ip(), exchange);
    }

    @SuppressWarnings("unchecked")
    public void push(Exchange exchange) {
        Instruct target = exchange.getProperty(OnlineCheck.INSTRUCT, Instruct.class);
        try {
            int port = online.agentPort(target, exchange.getProperty(OnlineCheck.ONLINE, Map.class));
            String version = agents.cronSync(target.getIp(), port, exchange.getProperty(CRONS, String.class),
                    config.requireInt("elves.scheduler.agent.ack-timeout-ms"));
            if (version == null) {
                LOG.warn("agent {} has no cronSync (an original agent): its agent-side crons do not run", target.getIp());
            } else {
                LOG.info("agent {} holds agent-side cron list {}", target.getIp(), version);
            }
        } catch (ElvesException e) {
            online.failed(target, e);
            LOG.info("agent-side cron list not pushed to {} now ({}); its next heartbeat answer carries it",
                    target.getIp(), e.getMessage());
        }
    }
}

package org.elves.center.cron;

import org.apache.camel.Exchange;
import org.bson.Document;
import org.elves.center.common.JobParams;
import org.elves.center.common.Ownership;
import org.elves.center.common.PolledTable;
import org.elves.center.contract.CronPush;
import org.elves.center.rpc.Replies;
import org.elves.config.ElvesConfig;
import org.elves.protocol.CronRule;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.elves.protocol.TaskIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

import static org.elves.center.common.JobParams.text;

/**
 * Managing crons (rpc.call from OpenAPI, reference §6: createCron, startCron, stopCron,
 * deleteCron, cronDetail, cronList; ours: agentCronTable). A cron is enabled as soon as it is
 * added (reference G19). An agent-side cron (side "agent", modes AANP/AAP) is run by its agent:
 * every change to one leaves the agent's new list in {@link #PUSH} for the route to push
 * (scheduler.cronPush), and the Heartbeat carries the lists too ({@link #agentCronTable}).
 */
public class CronManagement {
    private static final Logger LOG = LoggerFactory.getLogger(CronManagement.class);
    /** Exchange property: {ip, crons} after a change of an agent-side cron, else absent. */
    public static final String PUSH = "ElvesCronPush";

    private final CronStore store;
    private final ElvesConfig config;
    private final LongSupplier clock;
    private final CronViews views;

    public CronManagement(CronStore store, ElvesConfig config, LongSupplier clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.views = new CronViews(clock);
    }

    public Map<String, Object> createCron(Map<String, Object> body, Exchange exchange) {
        Document cron = validated(body);
        store.insert(cron);
        LOG.info("cron {} added: {} {}.{} on {} rule '{}' {} side {}", cron.getString("_id"), cron.getString("mode"),
                cron.getString("app"), cron.getString("func"), cron.getString("ip"), cron.getString("rule"),
                cron.getString("timezone"), cron.getString("side"));
        pushIfAgentSide(cron, exchange);
        Map<String, Object> reply = Replies.ok(null);
        reply.put("id", cron.getString("_id"));
        return reply;
    }

    public Map<String, Object> startCron(Map<String, Object> body, Exchange exchange) {
        return setFlag(body, 1, exchange);
    }

    public Map<String, Object> stopCron(Map<String, Object> body, Exchange exchange) {
        return setFlag(body, 0, exchange);
    }

    public Map<String, Object> deleteCron(Map<String, Object> body, Exchange exchange) {
        existing(cronId(body), body);
        Document deleted = store.delete(cronId(body));
        if (deleted == null) {
            throw new ElvesException(ErrorCode.CRON_NOT_FOUND, text(body.get("id")));
        }
        LOG.info("cron {} deleted", deleted.getString("_id"));
        pushIfAgentSide(deleted, exchange);
        return Replies.ok(null);
    }

    public Map<String, Object> cronDetail(Map<String, Object> body) {
        return Replies.ok(views.detail(existing(cronId(body), body)));
    }

    /** {result: [ids newest first] (reference), crons: [summaries]} of the crons aimed at one agent. */
    public Map<String, Object> cronList(Map<String, Object> body) {
        String ip = JobParams.required(body, "ip", ErrorCode.PARAM_IP);
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (Document cron : store.byIp(ip)) {
            ids.add(cron.getString("_id"));
            summaries.add(views.summary(cron));
        }
        Map<String, Object> reply = Replies.ok(ids);
        reply.put("crons", summaries);
        return reply;
    }

    /**
     * For the Heartbeat: {version, changed, table: {ip: {version, crons}}} of every started
     * agent-side cron; the table only when the caller's version is not the current one.
     */
    public Map<String, Object> agentCronTable(Map<String, Object> body) {
        return PolledTable.answer(String.valueOf(store.changes(CronStore.AGENT)), body, "table",
                () -> AgentCronLists.table(store.started(CronStore.AGENT)));
    }

    // ---- the rules ----

    Document validated(Map<String, Object> body) {
        String ip = JobParams.required(body, "ip", ErrorCode.PARAM_IP);
        String app = JobParams.required(body, "app", ErrorCode.PARAM_APP);
        String func = JobParams.required(body, "func", ErrorCode.PARAM_FUNC);
        String param = text(body.get("param"));
        if (!param.isEmpty() && !Json.isValid(param)) {
            throw new ElvesException(ErrorCode.PARAM_PARAM, "param must be JSON text");
        }
        int timeout = JobParams.timeoutSeconds(body.get("timeout"), config.requireInt("elves.timeout"));
        String mode = JobParams.mode(body.get("mode"));
        CronRule rule = CronRule.parse(text(body.get("rule")), text(body.get("timezone")));
        String side = text(body.get("side")).toLowerCase(Locale.ROOT);
        if (side.isEmpty()) {
            side = CronStore.CENTER;
        } else if (!side.equals(CronStore.CENTER) && !side.equals(CronStore.AGENT)) {
            throw new ElvesException(ErrorCode.PARAM_CRON_SIDE, "side must be center or agent, got '" + side + "'");
        }
        long now = clock.getAsLong();
        return new Document("_id", TaskIds.next())
                .append("ip", ip).append("app", app).append("func", func).append("param", param)
                .append("timeout", timeout).append("proxy", text(body.get("proxy"))).append("mode", mode)
                .append("rule", rule.rule()).append("timezone", rule.zone().getId()).append("side", side)
                .append("auth_id", text(body.get("auth_id")))
                .append("cron_flag", 1).append("create_time", now)
                // no run before it existed: the first key is after its creation
                .append("last_fire", now).append("rev", 0L)
                .append("history", new ArrayList<>());
    }

    private Map<String, Object> setFlag(Map<String, Object> body, int flag, Exchange exchange) {
        String id = cronId(body);
        existing(id, body);
        if (!store.setFlag(id, flag, clock.getAsLong())) {
            throw new ElvesException(ErrorCode.CRON_NOT_FOUND, id);
        }
        LOG.info("cron {} {}", id, flag == 1 ? "started" : "stopped");
        pushIfAgentSide(store.find(id), exchange);
        return Replies.ok(null);
    }

    private void pushIfAgentSide(Document cron, Exchange exchange) {
        if (cron == null || !CronStore.AGENT.equals(cron.getString("side")) || exchange == null) {
            return;
        }
        String ip = cron.getString("ip");
        List<Document> started = store.byIp(ip).stream()
                .filter(c -> CronStore.AGENT.equals(c.getString("side")) && c.getInteger("cron_flag", 0) == 1)
                .toList();
        exchange.setProperty(PUSH, new CronPush(ip, AgentCronLists.list(started)).toMap());
    }

    /** The cron, when it exists and the caller (if any) may act on it. */
    private Document existing(String id, Map<String, Object> body) {
        Document cron = store.find(id);
        if (cron == null) {
            throw new ElvesException(ErrorCode.CRON_NOT_FOUND, id);
        }
        Ownership.check(cron.getString("auth_id"), body, "cron " + id);
        return cron;
    }

    private static String cronId(Map<String, Object> body) {
        String id = text(body.get("id"));
        if (id.length() != 16) {
            throw new ElvesException(ErrorCode.PARAM_CRON_ID, "cron_id must be 16 characters");
        }
        return id;
    }
}

package org.elves.center.cron;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.elves.center.contract.AgentCronList;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronRulesTest {
    private CronTestStore t;
    private CronManagement crons;
    private CronRuns runs;

    @BeforeEach
    void start() {
        t = new CronTestStore(Map.of("elves.cron.history", "3"));
        crons = t.management();
        runs = t.runs();
    }

    @AfterEach
    void close() {
        t.close();
    }

    private static Map<String, Object> cron(String... extra) {
        Map<String, Object> body = new HashMap<>(Map.of("ip", "127.0.0.2", "app", "apptest", "func", "helloword", "rule", "0/5 * * * * ?"));
        for (int i = 0; i < extra.length; i += 2) {
            body.put(extra[i], extra[i + 1]);
        }
        return body;
    }

    private ErrorCode refusal(Map<String, Object> body) {
        return assertThrows(ElvesException.class, () -> crons.createCron(body, null)).code();
    }

    @Test
    void badDefinitionsAreRefusedWithTheirCodesAndStoreNothing() {
        assertEquals(ErrorCode.PARAM_IP, refusal(cron("ip", "")));
        assertEquals(ErrorCode.PARAM_APP, refusal(cron("app", "")));
        assertEquals(ErrorCode.PARAM_FUNC, refusal(cron("func", "")));
        assertEquals(ErrorCode.PARAM_PARAM, refusal(cron("param", "{not json")));
        assertEquals(ErrorCode.PARAM_TIMEOUT, refusal(cron("timeout", "-1")));
        assertEquals(ErrorCode.PARAM_MODE, refusal(cron("mode", "X")));
        assertEquals(ErrorCode.PARAM_CRON_RULE, refusal(cron("rule", "every minute")));
        assertEquals(ErrorCode.PARAM_TIMEZONE, refusal(cron("timezone", "Nowhere/City")));
        assertEquals(ErrorCode.PARAM_CRON_SIDE, refusal(cron("side", "both")));
        assertEquals(List.of(), crons.cronList(Map.of("ip", "127.0.0.2")).get("result"));
    }

    @Test
    void addedCronIsRunningAndShowsItsNextFireTime() {
        String id = (String) crons.createCron(cron("timezone", "Europe/Berlin", "mode", "p"), null).get("id");
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) crons.cronDetail(Map.of("id", id)).get("result");
        assertEquals(1, detail.get("cron_flag"));
        assertEquals("P", detail.get("mode"));
        assertEquals("Europe/Berlin", detail.get("timezone"));
        assertEquals("center", detail.get("side"));
        assertEquals(90, detail.get("timeout"));
        assertNotEquals("", detail.get("next_fire_time"));
        assertEquals("", detail.get("last_exec_time"));
        assertEquals(List.of(id), crons.cronList(Map.of("ip", "127.0.0.2")).get("result"));
    }

    @Test
    void unknownOrMalformedIdsAreRefused() {
        assertEquals(ErrorCode.CRON_NOT_FOUND, assertThrows(ElvesException.class, () -> crons.startCron(Map.of("id", "0123456789ABCDEF"), null)).code());
        assertEquals(ErrorCode.CRON_NOT_FOUND, assertThrows(ElvesException.class, () -> crons.deleteCron(Map.of("id", "0123456789ABCDEF"), null)).code());
        assertEquals(ErrorCode.PARAM_CRON_ID, assertThrows(ElvesException.class, () -> crons.cronDetail(Map.of("id", "short"))).code());
    }

    @Test
    void startAndStopAreIdempotentAndDeleteRemoves() {
        String id = (String) crons.createCron(cron(), null).get("id");
        crons.stopCron(Map.of("id", id), null);
        crons.stopCron(Map.of("id", id), null);
        assertEquals(0, detail(id).get("cron_flag"));
        assertEquals("", detail(id).get("next_fire_time"));
        crons.startCron(Map.of("id", id), null);
        crons.startCron(Map.of("id", id), null);
        assertEquals(1, detail(id).get("cron_flag"));
        crons.deleteCron(Map.of("id", id), null);
        assertEquals(ErrorCode.CRON_NOT_FOUND, assertThrows(ElvesException.class, () -> crons.cronDetail(Map.of("id", id))).code());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> detail(String id) {
        return (Map<String, Object>) crons.cronDetail(Map.of("id", id)).get("result");
    }

    private static Map<String, Object> result(String runId, String flag, String message) {
        return Map.of("flag", "true", "error", "", "result",
                Map.of("id", runId, "worker_flag", flag, "worker_message", message, "worker_costtime", "12"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void resultsAreRecordedOnceTheLatestIsLastAndHistoryIsBounded() {
        String id = (String) crons.createCron(cron(), null).get("id");
        long base = Instant.parse("2026-01-01T00:00:05Z").getEpochSecond();
        for (int i = 0; i < 5; i++) {
            runs.cronResult(result(id + "@" + (base + 5 * i), "1", "run " + i));
        }
        // the same run reported again (an agent's outbox after a Scheduler restart)
        runs.cronResult(result(id + "@" + (base + 5 * 4), "0", "again"));
        // an old run arriving late does not become the last result
        runs.cronResult(result(id + "@" + (base - 5), "1", "late"));
        Map<String, Object> d = detail(id);
        Map<String, Object> last = (Map<String, Object>) d.get("last_exec_result");
        assertEquals("run 4", ((Map<String, Object>) last.get("result")).get("worker_message"));
        List<Map<String, Object>> history = (List<Map<String, Object>>) d.get("history");
        assertEquals(3, history.size());
        assertEquals(List.of("run 2", "run 3", "run 4"), history.stream().map(r -> r.get("worker_message")).toList());
        assertTrue(history.stream().noneMatch(r -> "again".equals(r.get("worker_message"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void processorOutcomeIsRecordedWithItsRunOnce() {
        String id = (String) crons.createCron(cron("mode", "P"), null).get("id");
        String run = id + "@" + Instant.parse("2026-01-01T00:00:05Z").getEpochSecond();
        runs.cronResult(result(run, "1", "ok"));
        runs.processorResult(Map.of("id", run, "processor_flag", "true", "processor_error", "", "processor_costtime", "3"));
        runs.processorResult(Map.of("id", run, "processor_flag", "false", "processor_error", "again", "processor_costtime", "3"));
        Map<String, Object> entry = ((List<Map<String, Object>>) detail(id).get("history")).get(0);
        assertEquals("true", entry.get("processor_flag"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void agentSideChangesPushTheAgentsListAndMoveTheTableVersion() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        Map<String, Object> before = (Map<String, Object>) crons.agentCronTable(Map.of("version", "")).get("result");
        String id = (String) crons.createCron(cron("side", "agent", "rule", "* * * * * ?"), exchange).get("id");
        Map<String, Object> push = exchange.getProperty(CronManagement.PUSH, Map.class);
        assertEquals("127.0.0.2", push.get("ip"));
        Map<String, Object> list = (Map<String, Object>) push.get("crons");
        assertEquals(id, ((List<Map<String, Object>>) list.get("crons")).get(0).get("id"));

        Map<String, Object> after = (Map<String, Object>) crons.agentCronTable(Map.of("version", before.get("version"))).get("result");
        assertEquals(true, after.get("changed"));
        Map<String, Object> table = (Map<String, Object>) after.get("table");
        assertEquals(list, table.get("127.0.0.2"));
        // asked again with the version it holds: nothing to send
        Map<String, Object> again = (Map<String, Object>) crons.agentCronTable(Map.of("version", after.get("version"))).get("result");
        assertEquals(false, again.get("changed"));
        assertNull(again.get("table"));

        Exchange stop = new DefaultExchange(new DefaultCamelContext());
        crons.stopCron(Map.of("id", id), stop);
        Map<String, Object> emptied = (Map<String, Object>) stop.getProperty(CronManagement.PUSH, Map.class).get("crons");
        assertEquals(List.of(), emptied.get("crons"));
        assertEquals(AgentCronList.empty().version(), emptied.get("version"));
    }

    @Test
    void centerSideChangesPushNothing() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        crons.createCron(cron(), exchange);
        assertNull(exchange.getProperty(CronManagement.PUSH));
    }

    @Test
    void onlyTheKeyThatMadeACronOrAnAdminMayActOnIt() {
        Map<String, Object> body = cron();
        body.put("auth_id", "OWNER0000000000A");
        String id = (String) crons.createCron(body, null).get("id");
        Map<String, Object> stranger = Map.of("id", id, "caller", "OTHER00000000000", "caller_admin", "false");
        assertEquals(ErrorCode.PERMISSION_DENIED, assertThrows(ElvesException.class, () -> crons.stopCron(stranger, null)).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, assertThrows(ElvesException.class, () -> crons.cronDetail(stranger)).code());
        assertEquals(ErrorCode.PERMISSION_DENIED, assertThrows(ElvesException.class, () -> crons.deleteCron(stranger, null)).code());
        assertEquals(1, detail(id).get("cron_flag"), "nothing changed");
        crons.stopCron(Map.of("id", id, "caller", "OWNER0000000000A", "caller_admin", "false"), null);
        crons.startCron(Map.of("id", id, "caller", "ADMIN00000000000", "caller_admin", "true"), null);
        assertEquals(1, detail(id).get("cron_flag"));
    }
}

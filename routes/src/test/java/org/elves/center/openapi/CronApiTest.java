package org.elves.center.openapi;

import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.rpc.Replies;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cron endpoints' bean: checks in order with the reference's codes, the Cron calls it builds, the answers it maps. */
class CronApiTest {
    private static final String CRON_ID = "A49B1E8FA1B43BC5";

    private final ElvesConfig config = Center.configFor(List.of(Component.OPENAPI)).overrides(Map.of("elves.timeout", "90")).build();
    private final DeclaredEndpoints routes = new DeclaredEndpoints(config);
    private final CronApi api = new CronApi();
    private final ApiAnswers answers = new ApiAnswers();

    @AfterEach
    void close() {
        config.close();
    }

    private static Map<String, String> goodAdd() {
        Map<String, String> p = new HashMap<>();
        p.put("auth_id", "1");
        p.put("ip", "127.0.0.2");
        p.put("app", "apptest");
        p.put("func", "helloword");
        p.put("rule", "0/5 * * * * ?");
        return p;
    }

    private Map<String, Object> add(Map<String, String> params) {
        return api.add(routes.check("/cron/add", params));
    }

    private void assertCall(String path, String func, Map<String, Object> body, Map<String, Object> expected) {
        assertEquals("cron." + func, routes.at(path).call());
        assertEquals(expected, body);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(body.keySet()), "the body's keys in the reference's order");
    }

    private static void assertCode(ErrorCode code, Runnable call) {
        ElvesException e = assertThrows(ElvesException.class, call::run);
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void addWithDefaultsBuildsCreateCron() {
        Map<String, Object> body = add(goodAdd());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("ip", "127.0.0.2");
        expected.put("mode", "NP");
        expected.put("app", "apptest");
        expected.put("func", "helloword");
        expected.put("param", "");
        expected.put("timeout", 90);
        expected.put("proxy", "");
        expected.put("rule", "0/5 * * * * ?");
        expected.put("timezone", "");
        expected.put("side", "center");
        expected.put("auth_id", "1");
        assertCall("/cron/add", "createCron", body, expected);
    }

    @Test
    void addPassesEveryGivenParameter() {
        Map<String, String> p = goodAdd();
        p.put("param", "{\"my\":\"tick\"}");
        p.put("timeout", "30");
        p.put("proxy", "python3");
        p.put("mode", "p");
        p.put("rule", "  0 0 12 ? * MON-FRI 2030  ");
        p.put("timezone", "Europe/Berlin");
        p.put("side", "Agent");
        Map<String, Object> body = add(p);
        assertEquals("{\"my\":\"tick\"}", body.get("param"));
        assertEquals(30, body.get("timeout"));
        assertEquals("python3", body.get("proxy"));
        assertEquals("P", body.get("mode"));
        assertEquals("0 0 12 ? * MON-FRI 2030", body.get("rule"), "trimmed");
        assertEquals("Europe/Berlin", body.get("timezone"));
        assertEquals("agent", body.get("side"));
    }

    @Test
    void addTimeoutDefaultIsElvesTimeout() {
        try (ElvesConfig c = Center.configFor(List.of(Component.OPENAPI)).overrides(Map.of("elves.timeout", "42")).build()) {
            assertEquals(42, api.add(new DeclaredEndpoints(c).check("/cron/add", goodAdd())).get("timeout"));
        }
    }

    @Test
    void addChecksComeInTheQueueOrderThenRuleTimezoneSide() {
        Map<String, String> p = goodAdd();
        p.put("app", "");
        p.put("func", "");
        p.put("ip", "300.1.1.1");
        p.put("param", "{not json");
        p.put("timeout", "soon");
        p.put("mode", "X");
        p.put("rule", "every minute");
        p.put("timezone", "Mars/Olympus");
        p.put("side", "both");
        List<Map.Entry<String, ErrorCode>> order = List.of(
                Map.entry("app", ErrorCode.PARAM_APP),
                Map.entry("func", ErrorCode.PARAM_FUNC),
                Map.entry("ip", ErrorCode.PARAM_IP),
                Map.entry("param", ErrorCode.PARAM_PARAM),
                Map.entry("timeout", ErrorCode.PARAM_TIMEOUT),
                Map.entry("mode", ErrorCode.PARAM_MODE),
                Map.entry("rule", ErrorCode.PARAM_CRON_RULE),
                Map.entry("timezone", ErrorCode.PARAM_TIMEZONE),
                Map.entry("side", ErrorCode.PARAM_CRON_SIDE));
        Map<String, String> good = goodAdd();
        good.put("param", "{}");
        good.put("timeout", "30");
        good.put("mode", "NP");
        good.put("timezone", "UTC");
        good.put("side", "center");
        for (Map.Entry<String, ErrorCode> e : order) {
            Map<String, String> now = new HashMap<>(p);
            assertCode(e.getValue(), () -> add(now));
            p.put(e.getKey(), good.get(e.getKey()));
        }
        add(p);
    }

    @Test
    void addRefusesMissingAndBadRules() {
        for (String rule : new String[] {"", "   ", "* * * * *", "0 0 25 * * ?", "0 0 12 * * MON"}) {
            Map<String, String> p = goodAdd();
            p.put("rule", rule);
            assertCode(ErrorCode.PARAM_CRON_RULE, () -> add(p));
        }
        Map<String, String> p = goodAdd();
        p.remove("rule");
        assertCode(ErrorCode.PARAM_CRON_RULE, () -> add(p));
    }

    @Test
    void addAcceptsZoneIdsAndOffsets() {
        for (String zone : new String[] {"UTC", "Asia/Shanghai", "+02:00", " Europe/Berlin "}) {
            Map<String, String> p = goodAdd();
            p.put("timezone", zone);
            assertEquals(zone.trim(), add(p).get("timezone"));
        }
    }

    @Test
    void idCallsBuildTheirFunctionWithTheId() {
        Map<String, String> functions = new LinkedHashMap<>();
        functions.put("/cron/start", "startCron");
        functions.put("/cron/stop", "stopCron");
        functions.put("/cron/delete", "deleteCron");
        functions.put("/cron/detail", "cronDetail");
        functions.put("/cron/info", "cronDetail");
        functions.forEach((path, func) -> assertCall(path, func,
                api.byCronId(routes.check(path, Map.of("cron_id", CRON_ID))), Map.of("id", CRON_ID)));
    }

    @Test
    void cronIdMustHave16Characters() {
        for (String path : List.of("/cron/start", "/cron/stop", "/cron/delete", "/cron/detail", "/cron/info")) {
            for (String id : new String[] {"", "A49B1E8FA1B43BC", "A49B1E8FA1B43BC5A"}) {
                assertCode(ErrorCode.PARAM_CRON_ID, () -> routes.check(path, Map.of("cron_id", id)));
            }
            assertCode(ErrorCode.PARAM_CRON_ID, () -> routes.check(path, Map.of()));
        }
    }

    @Test
    void listBuildsCronListByIp() {
        assertCall("/cron/list", "cronList", api.list(routes.check("/cron/list", Map.of("ip", "10.0.0.1"))),
                Map.of("ip", "10.0.0.1"));
        assertCode(ErrorCode.PARAM_IP, () -> routes.check("/cron/list", Map.of()));
        assertCode(ErrorCode.PARAM_IP, () -> routes.check("/cron/list", Map.of("ip", "10.0.0")));
    }

    @Test
    void disabledCronAnswers4022BeforeAnyParameterCheck() {
        try (ElvesConfig off = Center.configFor(List.of(Component.OPENAPI)).overrides(Map.of("elves.openapi.cron.enabled", "false")).build()) {
            DeclaredEndpoints disabled = new DeclaredEndpoints(off);
            for (String path : List.of("/cron/add", "/cron/start", "/cron/stop", "/cron/delete", "/cron/detail", "/cron/info", "/cron/list")) {
                assertCode(ErrorCode.MODULE_CRON_DISABLED, () -> disabled.check(path, Map.of()));
            }
        }
    }

    @Test
    void idResultIsTheIdObjectAndFailuresPassThrough() {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("flag", "true");
        reply.put("error", "");
        reply.put("id", CRON_ID);
        assertEquals(Replies.ok(Map.of("id", CRON_ID)), answers.idResult(reply));

        Map<String, Object> failure = Replies.failure("[500]Internal ServerError: db down");
        assertSame(failure, answers.idResult(failure));
    }

    @Test
    void listResultIsTheCronsListOrOneObjectPerIdFromAnOlderComponent() {
        List<Map<String, Object>> crons = List.of(
                Map.of("id", "B39B1E8FA1B43BA4", "app", "apptest", "rule", "0 * * * * ?"),
                Map.of("id", CRON_ID, "app", "apptest", "rule", "0/5 * * * * ?"));
        Map<String, Object> reply = new LinkedHashMap<>(Replies.ok(List.of("B39B1E8FA1B43BA4", CRON_ID)));
        reply.put("crons", crons);
        assertEquals(Replies.ok(crons), answers.cronList(reply));

        assertEquals(Replies.ok(List.of(Map.of("id", "B39B1E8FA1B43BA4"), Map.of("id", CRON_ID))),
                answers.cronList(Replies.ok(List.of("B39B1E8FA1B43BA4", CRON_ID))));
        assertEquals(Replies.ok(List.of()), answers.cronList(Replies.ok(List.of())));

        Map<String, Object> failure = Replies.failure("[411.1]Not Find Cron Job To Operate");
        assertSame(failure, answers.cronList(failure));
    }
}

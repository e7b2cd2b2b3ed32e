package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.rpc.Replies;
import org.elves.center.rpc.RpcCodec;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cron endpoints' bean: checks in order with the reference's codes, the Cron calls it builds, the answers it maps. */
class CronApiTest {
    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();
    private static final String CRON_ID = "A49B1E8FA1B43BC5";

    private final ElvesConfig config = Center.configFor(List.of(Component.OPENAPI)).overrides(Map.of("elves.timeout", "90")).build();
    private final CronApi api = new CronApi(config);
    private final Exchange exchange = new DefaultExchange(CAMEL);

    @AfterEach
    void close() {
        config.close();
    }

    @AfterAll
    static void stopCamel() throws Exception {
        CAMEL.close();
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

    private static ApiRequest request(String path, Map<String, String> params) {
        return new ApiRequest(path, params);
    }

    private void assertCall(String func, Map<String, Object> body, Map<String, Object> expected) {
        assertEquals("openapi", exchange.getProperty(RpcCodec.FROM));
        assertEquals("cron", exchange.getProperty(RpcCodec.TO));
        assertEquals(func, exchange.getProperty(RpcCodec.FUNC));
        assertEquals(expected, body);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(body.keySet()), "the body's keys in the reference's order");
    }

    private static void assertCode(ErrorCode code, Runnable call) {
        ElvesException e = assertThrows(ElvesException.class, call::run);
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void addWithDefaultsBuildsCreateCron() {
        Map<String, Object> body = api.add(request("/api/v2/cron/add", goodAdd()), exchange);
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
        assertCall("createCron", body, expected);
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
        Map<String, Object> body = api.add(request("/api/v2/cron/add", p), exchange);
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
            assertEquals(42, new CronApi(c).add(request("/api/v2/cron/add", goodAdd()), exchange).get("timeout"));
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
            assertCode(e.getValue(), () -> api.add(request("/api/v2/cron/add", now), exchange));
            p.put(e.getKey(), good.get(e.getKey()));
        }
        api.add(request("/api/v2/cron/add", p), exchange);
    }

    @Test
    void addRefusesMissingAndBadRules() {
        for (String rule : new String[] {"", "   ", "* * * * *", "0 0 25 * * ?", "0 0 12 * * MON"}) {
            Map<String, String> p = goodAdd();
            p.put("rule", rule);
            assertCode(ErrorCode.PARAM_CRON_RULE, () -> api.add(request("/api/v2/cron/add", p), exchange));
        }
        Map<String, String> p = goodAdd();
        p.remove("rule");
        assertCode(ErrorCode.PARAM_CRON_RULE, () -> api.add(request("/api/v2/cron/add", p), exchange));
    }

    @Test
    void addAcceptsZoneIdsAndOffsets() {
        for (String zone : new String[] {"UTC", "Asia/Shanghai", "+02:00", " Europe/Berlin "}) {
            Map<String, String> p = goodAdd();
            p.put("timezone", zone);
            assertEquals(zone.trim(), api.add(request("/api/v2/cron/add", p), exchange).get("timezone"));
        }
    }

    @Test
    void idCallsBuildTheirFunctionWithTheId() {
        Map<String, BiFunction<ApiRequest, Exchange, Map<String, Object>>> calls = new LinkedHashMap<>();
        calls.put("startCron", api::start);
        calls.put("stopCron", api::stop);
        calls.put("deleteCron", api::delete);
        calls.put("cronDetail", api::detail);
        calls.forEach((func, call) -> {
            Map<String, Object> body = call.apply(request("/api/v2/cron/x", Map.of("cron_id", CRON_ID)), exchange);
            assertCall(func, body, Map.of("id", CRON_ID));
        });
    }

    @Test
    void cronIdMustHave16Characters() {
        List<BiFunction<ApiRequest, Exchange, Map<String, Object>>> calls = List.of(api::start, api::stop, api::delete, api::detail);
        for (BiFunction<ApiRequest, Exchange, Map<String, Object>> call : calls) {
            for (String id : new String[] {"", "A49B1E8FA1B43BC", "A49B1E8FA1B43BC5A"}) {
                assertCode(ErrorCode.PARAM_CRON_ID, () -> call.apply(request("/api/v2/cron/x", Map.of("cron_id", id)), exchange));
            }
            assertCode(ErrorCode.PARAM_CRON_ID, () -> call.apply(request("/api/v2/cron/x", Map.of()), exchange));
        }
    }

    @Test
    void listBuildsCronListByIp() {
        assertCall("cronList", api.list(request("/api/v2/cron/list", Map.of("ip", "10.0.0.1")), exchange),
                Map.of("ip", "10.0.0.1"));
        assertCode(ErrorCode.PARAM_IP, () -> api.list(request("/api/v2/cron/list", Map.of()), exchange));
        assertCode(ErrorCode.PARAM_IP, () -> api.list(request("/api/v2/cron/list", Map.of("ip", "10.0.0")), exchange));
    }

    @Test
    void disabledCronAnswers4022BeforeAnyParameterCheck() {
        try (ElvesConfig off = Center.configFor(List.of(Component.OPENAPI)).overrides(Map.of("elves.openapi.cron.enabled", "false")).build()) {
            CronApi disabled = new CronApi(off);
            ApiRequest empty = request("/api/v2/cron/x", Map.of());
            List<BiFunction<ApiRequest, Exchange, Map<String, Object>>> calls =
                    List.of(disabled::add, disabled::start, disabled::stop, disabled::delete, disabled::detail, disabled::list);
            for (BiFunction<ApiRequest, Exchange, Map<String, Object>> call : calls) {
                assertCode(ErrorCode.MODULE_CRON_DISABLED, () -> call.apply(empty, exchange));
            }
        }
    }

    @Test
    void idResultIsTheIdObjectAndFailuresPassThrough() {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("flag", "true");
        reply.put("error", "");
        reply.put("id", CRON_ID);
        assertEquals(Replies.ok(Map.of("id", CRON_ID)), api.idResult(reply));

        Map<String, Object> failure = Replies.failure("[500]Internal ServerError: db down");
        assertSame(failure, api.idResult(failure));
    }

    @Test
    void listResultIsTheCronsListOrOneObjectPerIdFromAnOlderComponent() {
        List<Map<String, Object>> crons = List.of(
                Map.of("id", "B39B1E8FA1B43BA4", "app", "apptest", "rule", "0 * * * * ?"),
                Map.of("id", CRON_ID, "app", "apptest", "rule", "0/5 * * * * ?"));
        Map<String, Object> reply = new LinkedHashMap<>(Replies.ok(List.of("B39B1E8FA1B43BA4", CRON_ID)));
        reply.put("crons", crons);
        assertEquals(Replies.ok(crons), api.listResult(reply));

        assertEquals(Replies.ok(List.of(Map.of("id", "B39B1E8FA1B43BA4"), Map.of("id", CRON_ID))),
                api.listResult(Replies.ok(List.of("B39B1E8FA1B43BA4", CRON_ID))));
        assertEquals(Replies.ok(List.of()), api.listResult(Replies.ok(List.of())));

        Map<String, Object> failure = Replies.failure("[411.1]Not Find Cron Job To Operate");
        assertSame(failure, api.listResult(failure));
    }
}

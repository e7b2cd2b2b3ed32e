package org.elves.cli.cron;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.CliEnvironment;
import org.elves.cli.CliRun;
import org.elves.cli.FakeOpenApi;
import org.elves.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code elves cron ...} against a stand-in OpenAPI that verifies every signature. */
@Timeout(30)
class CronCommandTest {
    private static final String ID = "[0-9A-F]{16}";
    private static final String RULE = "0/5 * * * * ?";

    @TempDir
    Path home;
    private FakeOpenApi api;
    private CliEnvironment env;

    @BeforeEach
    void start() throws IOException {
        api = new FakeOpenApi(new CronFake());
        env = CliRun.env(api.url(), home);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private CliRun cron(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "cron";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(env, all);
    }

    private String ok(String... args) {
        CliRun run = cron(args);
        assertEquals(0, run.exit(), run::toString);
        assertEquals("", run.err(), run::toString);
        return run.out().strip();
    }

    private String add(String ip) {
        return ok("add", "--ip", ip, "--app", "apptest", "--func", "helloword", "--rule", RULE);
    }

    private Map<String, String> lastRequest() {
        List<Map<String, String>> all = api.requests();
        return all.get(all.size() - 1);
    }

    private static JsonNode json(CliRun run) {
        try {
            return Json.MAPPER.readTree(run.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + run, e);
        }
    }

    @Test
    void addPrintsTheIdAndSendsDefaults() {
        String id = add("127.0.0.2");
        assertTrue(id.matches(ID), id);
        assertEquals("/api/v2/cron/add", api.paths().get(0));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ip", "127.0.0.2");
        expected.put("app", "apptest");
        expected.put("func", "helloword");
        expected.put("timeout", "90");
        expected.put("mode", "NP");
        expected.put("rule", RULE);
        expected.put("side", "center");
        Map<String, String> sent = new LinkedHashMap<>(lastRequest());
        for (String signing : List.of("auth_id", "timestamp", "sign_type", "nonce", "sign")) {
            assertTrue(sent.remove(signing) != null, signing);
        }
        assertEquals(expected, sent);
    }

    @Test
    void addSendsEveryOptionAndJsonIsTheIdObject() {
        CliRun run = cron("add", "--ip", "127.0.0.2", "--app", "apptest", "--func", "helloword", "--rule", " 0 30 2 ? * MON-FRI ",
                "--param", "{\"my\":\"x y\"}", "--timeout", "30", "--mode", "p", "--timezone", "Asia/Shanghai",
                "--side", "AGENT", "--proxy", "python3", "--json");
        assertEquals(0, run.exit(), run::toString);
        JsonNode doc = json(run);
        assertEquals(1, doc.size(), run::toString);
        assertTrue(doc.path("id").asText().matches(ID), run::toString);
        Map<String, String> sent = lastRequest();
        assertEquals("0 30 2 ? * MON-FRI", sent.get("rule"));
        assertEquals("{\"my\":\"x y\"}", sent.get("param"));
        assertEquals("30", sent.get("timeout"));
        assertEquals("P", sent.get("mode"));
        assertEquals("Asia/Shanghai", sent.get("timezone"));
        assertEquals("agent", sent.get("side"));
        assertEquals("python3", sent.get("proxy"));
    }

    @Test
    void startStopDeletePrintWhatWasDone() {
        String id = add("127.0.0.2");
        assertEquals("stopped", ok("stop", id));
        assertEquals(Map.of("cron_id", id), withoutSigning(lastRequest()));
        assertEquals("/api/v2/cron/stop", api.paths().get(1));
        assertTrue(ok("info", id).contains("state       paused"));
        assertEquals("started", ok("start", id));
        CliRun json = cron("delete", id, "--json");
        assertEquals(0, json.exit(), json::toString);
        assertEquals(id, json(json).path("id").asText());
        assertTrue(json(json).path("deleted").asBoolean(), json::toString);
        assertEquals("/api/v2/cron/delete", api.paths().get(api.paths().size() - 1));
    }

    @Test
    void infoShowsABlockAndJsonTheDetail() {
        String id = add("127.0.0.2");
        String text = ok("info", id);
        assertTrue(text.startsWith("cron        " + id), text);
        assertTrue(text.contains("task        apptest.helloword on 127.0.0.2"), text);
        assertTrue(text.contains("rule        " + RULE), text);
        assertTrue(text.contains("zone        UTC"), text);
        assertTrue(text.contains("state       running"), text);
        assertTrue(text.contains("next fire   2030-01-01 00:00:05"), text);
        assertTrue(text.contains("last fire   -"), text);
        assertEquals("/api/v2/cron/detail", api.paths().get(1));

        CliRun run = cron("info", id, "--json");
        assertEquals(0, run.exit(), run::toString);
        assertEquals(RULE, json(run).path("rule").asText());
        assertEquals(1, json(run).path("cron_flag").asInt());
    }

    @Test
    void listShowsATableNewestFirstAndJsonTheList() {
        String first = add("127.0.0.2");
        String second = add("127.0.0.2");
        add("127.0.0.3");
        String[] lines = ok("list", "--ip", "127.0.0.2").split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("ID "), lines[0]);
        assertTrue(lines[1].startsWith(second) && lines[2].startsWith(first), String.join("\n", lines));
        assertTrue(lines[1].contains(RULE) && lines[1].contains("running"), lines[1]);
        assertEquals("2 crons for 127.0.0.2", lines[3]);
        assertEquals(Map.of("ip", "127.0.0.2"), withoutSigning(lastRequest()));

        CliRun run = cron("list", "--ip", "127.0.0.2", "--json");
        assertEquals(0, run.exit(), run::toString);
        assertEquals(2, json(run).size());
        assertEquals(second, json(run).get(0).path("id").asText());

        assertEquals("no crons for 10.9.9.9", ok("list", "--ip", "10.9.9.9"));
    }

    @Test
    void apiErrorsGoToStderrWithExit2() {
        String unknown = "0123456789ABCDEF";
        for (String action : List.of("start", "stop", "delete", "info")) {
            CliRun run = cron(action, unknown);
            assertEquals(2, run.exit(), run::toString);
            assertEquals("", run.out(), run::toString);
            assertEquals("[411.1]Not Find Cron Job To Operate", run.err().strip(), run::toString);
        }
    }

    @Test
    void noAnswerExits3() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        env = CliRun.env("http://127.0.0.1:" + closedPort, home);
        CliRun run = cron("list", "--ip", "10.0.0.1");
        assertEquals(3, run.exit(), run::toString);
        assertTrue(run.err().startsWith("no answer: cannot connect to"), run::toString);
    }

    @Test
    void argumentErrorsAreRefusedBeforeAnyRequest() {
        String[] task = {"--ip", "10.0.0.1", "--app", "a", "--func", "f"};
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(with(task, "--rule", "every minute"), "--rule 'every minute' is not a Quartz cron rule");
        cases.put(with(task, "--rule", "0 0 12 * * MON"), "with '?' in one of the two day fields");
        cases.put(with(task, "--rule", " "), "--rule rule is empty");
        cases.put(with(task, "--rule", RULE, "--timezone", "Mars/Olympus"), "--timezone 'Mars/Olympus' is not a time zone id");
        cases.put(with(task, "--rule", RULE, "--side", "both"), "--side must be center or agent");
        cases.put(with(task, "--rule", RULE, "--mode", "X"), "--mode must be NP or P");
        cases.put(with(task, "--rule", RULE, "--param", "{x"), "--param is not valid JSON");
        cases.put(with(task, "--rule", RULE, "--timeout", "0"), "--timeout must be at least 1");
        cases.put(List.of("add", "--ip", "10.0.0.1,10.0.0.2", "--app", "a", "--func", "f", "--rule", RULE), "--ip takes one address");
        cases.put(List.of("add", "--ip", "10.0.0.1", "--app", "a", "--func", "f"), "Missing required option: '--rule=RULE'");
        cases.put(List.of("start", "short"), "CRON_ID 'short' is not a cron id");
        cases.put(List.of("info"), "Missing required parameter: 'CRON_ID'");
        cases.put(List.of("list", "--ip", "10.0.0.256"), "is not a dotted IPv4 address");
        cases.forEach((args, message) -> {
            CliRun run = cron(args.toArray(String[]::new));
            assertEquals(2, run.exit(), run::toString);
            assertEquals("", run.out(), run::toString);
            assertTrue(run.err().contains(message), message + " expected in\n" + run);
            assertTrue(run.err().contains("Try 'elves cron " + args.get(0) + " --help'"), run::toString);
            assertFalse(run.err().contains("[403."), "a CLI message, not the API's code:\n" + run);
        });
        assertEquals(List.of(), api.requests(), "nothing was sent");
    }

    @Test
    void cronAloneShowsItsActionsAsAUsageError() {
        CliRun run = cron();
        assertEquals(2, run.exit(), run::toString);
        for (String action : List.of("add", "start", "stop", "delete", "info", "list")) {
            assertTrue(run.err().contains(action), action + " in\n" + run);
        }
        CliRun help = cron("add", "--help");
        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().contains("--timezone=ZONE") && help.out().contains("Exit codes:")
                && help.out().contains("--auth-id"), help::toString);
    }

    private static List<String> with(String[] task, String... more) {
        List<String> args = new java.util.ArrayList<>();
        args.add("add");
        args.addAll(List.of(task));
        args.addAll(List.of(more));
        return args;
    }

    private static Map<String, String> withoutSigning(Map<String, String> request) {
        Map<String, String> m = new LinkedHashMap<>(request);
        for (String signing : List.of("auth_id", "timestamp", "sign_type", "nonce", "sign")) {
            m.remove(signing);
        }
        return m;
    }
}

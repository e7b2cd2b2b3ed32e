package org.elves.cli.logs;

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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code elves logs ...} against a stand-in OpenAPI that verifies every signature. */
@Timeout(30)
class LogsCommandTest {
    @TempDir
    Path home;
    private FakeOpenApi api;
    private LogsFake fake;
    private CliEnvironment env;

    @BeforeEach
    void start() throws IOException {
        fake = new LogsFake();
        api = new FakeOpenApi(fake);
        env = CliRun.env(api.url(), home);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private CliRun logs(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "logs";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(env, all);
    }

    private List<String> ok(String... args) {
        CliRun run = logs(args);
        assertEquals(0, run.exit(), run::toString);
        assertEquals("", run.err(), run::toString);
        return List.of(run.out().split("\n"));
    }

    private Map<String, String> lastRequest() {
        List<Map<String, String>> all = api.requests();
        return withoutSigning(all.get(all.size() - 1));
    }

    private String lastPath() {
        List<String> all = api.paths();
        return all.get(all.size() - 1);
    }

    @Test
    void everyFilterGoesToItsParameter() {
        ok("--type", "queues", "--agent", "10.0.0.1", "--app", "apptest", "--func", "hello", "--by", "7",
                "--since", "2030-01-01 08:30:00", "--until", "2030-01-02", "--result", "failed,running", "--asc",
                "--count", "20", "--page", "2");
        assertEquals("/api/v2/logs/queues", lastPath());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("agent_ip", "10.0.0.1");
        expected.put("instruct", "apptest");
        expected.put("func", "hello");
        expected.put("by_auth_id", "7");
        expected.put("createtime_begin", "2030-01-01 08:30:00");
        expected.put("createtime_end", "2030-01-02 00:00:00");
        expected.put("createtime_sort", "asc");
        expected.put("result_flag", "02");
        expected.put("count", "20");
        expected.put("page", "2");
        assertEquals(expected, lastRequest());

        for (String type : List.of("rt", "centercron", "selfcron")) {
            ok("--type", type);
            assertEquals("/api/v2/logs/" + type, lastPath());
            assertEquals(Map.of(), lastRequest(), "the API's defaults: nothing sent but the signature");
        }
        ok();
        assertEquals("/api/v2/logs/rt", lastPath(), "rt by default");
    }

    @Test
    void timesMayBeRelativeOrUnixMillisAndResultsWordsOrDigits() {
        Instant before = Instant.now();
        ok("--since", "15m", "--until", "1893456000123", "--result", "succeeded");
        Instant after = Instant.now();
        Map<String, String> sent = lastRequest();
        Instant begin = LocalDateTime.parse(sent.get("createtime_begin"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]")).toInstant(ZoneOffset.UTC);
        assertFalse(begin.isBefore(before.minusSeconds(15 * 60 + 1)) || begin.isAfter(after.minusSeconds(15 * 60)),
                sent::toString);
        assertEquals("2030-01-01 00:00:00.123", sent.get("createtime_end"));
        assertEquals("1", sent.get("result_flag"));

        ok("--since", "3d", "--until", "2h", "--result", "2,0,succeeded,0");
        assertEquals("012", lastRequest().get("result_flag"));
    }

    @Test
    void theListIsATableWithAFooterAndJsonIsTheAnswer() {
        List<String> lines = ok();
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("TIME +TASK +TYPE +AGENT +APP\\.FUNC +STATE +COST +BY"), lines.get(0));
        assertTrue(lines.get(1).matches("2030-01-01 00:00:00\\.000  " + LogsFake.DONE
                + " +rt +10\\.0\\.0\\.1 +apptest\\.hello +succeeded +1000ms +7"), lines.get(1));
        assertTrue(lines.get(2).matches("2030-01-01 00:00:05\\.000  " + LogsFake.CRON_RUN
                + "  rt +10\\.0\\.0\\.2 +apptest\\.tick +running +- +-"), lines.get(2));
        assertEquals(lines.get(0).indexOf("TYPE"), lines.get(1).indexOf("rt"), "columns as wide as the longest id");
        assertEquals("page 1 of 3, 5 tasks", lines.get(3));
        assertEquals("page 2 of 3, 5 tasks", ok("--page", "2").get(3));

        CliRun run = logs("--type", "centercron", "--json");
        assertEquals(0, run.exit(), run::toString);
        JsonNode doc = json(run);
        assertEquals(2, doc.path("centercron_exec_logs").size(), run::toString);
        assertEquals(5, doc.path("total_number").asInt());
    }

    @Test
    void oneTaskShowsItsFieldsTimelineStatesAndOutput() {
        List<String> lines = ok(LogsFake.DONE);
        String text = String.join("\n", lines);
        assertEquals(Map.of("task_id", LogsFake.DONE), lastRequest());
        assertEquals("/api/v2/logs/task", lastPath());
        assertTrue(lines.get(0).matches("log_id: +" + LogsFake.DONE), text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("param: +\\{\"my\":\"x\"}")), text);
        int valueColumn = lines.get(0).indexOf(LogsFake.DONE);
        int message = indexOf(lines, "worker_message:");
        assertEquals("hello", lines.get(message).substring(valueColumn));
        assertEquals(" ".repeat(valueColumn) + "world", lines.get(message + 1), "a second line under the first");
        assertFalse(text.contains("agent_sync_error"), "absent (null) fields are left out:\n" + text);
        assertFalse(text.contains("queue_id"), text);

        int timeline = indexOf(lines, "TIMELINE");
        assertTrue(lines.get(timeline + 1).matches("PHASE +TIME +\\+MS +STEP"), text);
        assertTrue(lines.get(timeline + 2).matches("accepted +2030-01-01 00:00:00\\.000 +0 +-"), text);
        assertTrue(lines.get(timeline + 5).matches("agent_started +2030-01-01 00:00:00\\.030 +30 +\\+20 ms elves"), text);
        assertTrue(lines.get(timeline + 6).matches("agent_finished +2030-01-01 00:00:01\\.030 +1030 +\\+1000 ms app"), text);
        assertTrue(lines.get(timeline + 7).matches("finished +2030-01-01 00:00:01\\.045 +1045 +\\+15 ms elves"), text);
        assertEquals("app 1000 ms (agent_started -> agent_finished), elves 45 ms of 1045 ms accepted -> finished",
                lines.get(timeline + 9), text);

        int states = indexOf(lines, "STATES");
        assertTrue(lines.get(states + 1).matches("STATE +TIME"), text);
        assertTrue(lines.get(states + 5).matches("succeeded +2030-01-01 00:00:01\\.045"), text);

        int output = indexOf(lines, "OUTPUT (4127 bytes)");
        assertEquals(List.of("head 1", "head ", "stderr| warn", "2", "[... 4096 bytes left out ...]", "tail"),
                lines.subList(output + 1, lines.size()), text);

        CliRun run = logs(LogsFake.DONE, "--json");
        assertEquals(0, run.exit(), run::toString);
        assertEquals(7, json(run).path("timeline").size());
        assertEquals(4096, json(run).path("output").path("dropped_bytes").asInt());
    }

    @Test
    void followPrintsTheChunksInOrderThenTheEnd() {
        CliRun run = logs(LogsFake.DONE, "--follow");
        assertEquals(0, run.exit(), run::toString);
        assertEquals("head 1\nhead 2\ntail\n", run.out(), "stdout chunks as they came, nothing added");
        assertEquals("warn\n[... 4096 bytes left out ...]\ntask " + LogsFake.DONE + " succeeded, worker_flag 1\n",
                run.err(), run::toString);
        assertEquals(Map.of("task_id", LogsFake.DONE, "after_seq", "0"), lastRequest());
        assertEquals("/api/v2/logs/output", lastPath());
    }

    @Test
    void followExitsOneWhenTheTaskFailed() {
        CliRun run = logs(LogsFake.FAILED, "--follow");
        assertEquals(1, run.exit(), run::toString);
        assertEquals("starting\n", run.out());
        assertEquals("boom\ntask " + LogsFake.FAILED + " failed, worker_flag 0\n", run.err(), run::toString);
    }

    @Test
    void aDroppedStreamIsReadOnAfterTheLastChunkWithoutDuplicates() {
        fake.dropAfterChunks = 2;
        CliRun run = logs(LogsFake.DONE, "--follow");
        assertEquals(0, run.exit(), run::toString);
        assertEquals("head 1\nhead 2\ntail\n", run.out(), run::toString);
        assertEquals(1, count(run.err(), "warn"), run::toString);
        assertTrue(run.err().contains("the stream ended before the task; reading on after chunk 2"), run::toString);
        List<String> afterSeqs = new ArrayList<>();
        for (int i = 0; i < api.paths().size(); i++) {
            if (api.paths().get(i).equals("/api/v2/logs/output")) {
                afterSeqs.add(api.requests().get(i).get("after_seq"));
            }
        }
        assertEquals(List.of("0", "2"), afterSeqs);
    }

    @Test
    void apiErrorsGoToStderrWithExit2() {
        for (List<String> args : List.of(List.of("FFFFFFFFFFFFFFFF"), List.of("FFFFFFFFFFFFFFFF", "--follow"))) {
            CliRun run = logs(args.toArray(String[]::new));
            assertEquals(2, run.exit(), run::toString);
            assertEquals("", run.out(), run::toString);
            assertEquals(LogsFake.NOT_FOUND, run.err().strip(), run::toString);
        }
    }

    @Test
    void noAnswerExits3AtOnce() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        env = CliRun.env("http://127.0.0.1:" + closedPort, home);
        for (List<String> args : List.of(List.<String>of(), List.of(LogsFake.DONE), List.of(LogsFake.DONE, "--follow"))) {
            CliRun run = logs(args.toArray(String[]::new));
            assertEquals(3, run.exit(), run::toString);
            assertTrue(run.err().startsWith("no answer: cannot connect to"), run::toString);
        }
    }

    @Test
    void argumentErrorsAreRefusedBeforeAnyRequest() {
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("--type", "cron"), "--type 'cron' is not one of rt, queues, centercron, selfcron");
        cases.put(List.of("--result", "ok,broken"), "--result 'ok' is not failed, succeeded or running");
        cases.put(List.of("--since", "yesterday"), "--since 'yesterday' is not a time");
        cases.put(List.of("--until", "2030-02-30"), "--until '2030-02-30' is not a time");
        cases.put(List.of("--since", "2030-01-02", "--until", "2030-01-01"), "is after --until");
        cases.put(List.of("--count", "0"), "--count must be 1 to 500");
        cases.put(List.of("--page", "0"), "--page must be at least 1");
        cases.put(List.of("--agent", "10.0.0.1,10.0.0.2"), "--agent takes one address");
        cases.put(List.of("--app", " "), "--app must not be blank");
        cases.put(List.of("--follow"), "--follow needs the TASK_ID");
        cases.put(List.of(LogsFake.DONE, "--app", "apptest"), "they do not go with TASK_ID");
        cases.put(List.of(LogsFake.DONE, "--follow", "--json"), "--follow prints the output as it comes");
        cases.put(List.of("not-a-task"), "TASK_ID 'not-a-task' is not a task id");
        cases.forEach((args, message) -> {
            CliRun run = logs(args.toArray(String[]::new));
            assertEquals(2, run.exit(), run::toString);
            assertEquals("", run.out(), run::toString);
            assertTrue(run.err().contains(message), message + " expected in\n" + run);
            assertTrue(run.err().contains("Try 'elves logs --help'"), run::toString);
        });
        assertEquals(List.of(), api.requests(), "nothing was sent");
        CliRun help = logs("--help");
        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().contains("--follow") && help.out().contains("Exit codes:"), help::toString);
    }

    @Test
    void aCronRunIdIsATaskId() {
        CliRun run = logs(LogsFake.CRON_RUN);
        assertEquals(2, run.exit(), "the fake knows only DONE:\n" + run);
        assertEquals(Map.of("task_id", LogsFake.CRON_RUN), lastRequest());
    }

    private static int indexOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        throw new AssertionError(start + " not in\n" + String.join("\n", lines));
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static JsonNode json(CliRun run) {
        try {
            return Json.MAPPER.readTree(run.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + run, e);
        }
    }

    static Map<String, String> withoutSigning(Map<String, String> request) {
        Map<String, String> m = new LinkedHashMap<>(request);
        for (String signing : List.of("auth_id", "timestamp", "sign_type", "nonce", "sign")) {
            m.remove(signing);
        }
        return m;
    }
}

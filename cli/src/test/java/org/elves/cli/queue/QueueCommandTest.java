package org.elves.cli.queue;

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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code elves queue ...} end to end against a stand-in OpenAPI that verifies every signature. */
@Timeout(30)
class QueueCommandTest {
    private static final String ID = "[0-9A-F]{16}";

    @TempDir
    Path home;
    private QueueFake queues;
    private FakeOpenApi api;
    private CliEnvironment env;

    @BeforeEach
    void start() throws IOException {
        queues = new QueueFake();
        api = new FakeOpenApi(queues);
        env = CliRun.env(api.url(), home);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private CliRun queue(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "queue";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(env, all);
    }

    /** Runs a command that must succeed with one line of output, and gives that line. */
    private String ok(String... args) {
        CliRun run = queue(args);
        assertEquals(0, run.exit(), run::toString);
        assertEquals("", run.err(), run::toString);
        return run.out().strip();
    }

    private static JsonNode json(CliRun run) {
        return parse(run.out());
    }

    private CliEnvironment withColumns(int columns) {
        return new CliEnvironment(Map.of("ELVES_API", api.url(), "ELVES_AUTH_ID", FakeOpenApi.AUTH_ID,
                "ELVES_AUTH_KEY", FakeOpenApi.KEY, "COLUMNS", Integer.toString(columns)), home, false);
    }

    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private Map<String, String> lastRequest() {
        List<Map<String, String>> all = api.requests();
        return all.get(all.size() - 1);
    }

    @Test
    void createPrintsTheQueueIdAndSendsTheApp() {
        String id = ok("create", "--app", "apptest");
        assertTrue(id.matches(ID), id);
        assertEquals("/api/v2/queue/create", api.paths().get(0));
        assertEquals("apptest", lastRequest().get("app"));
        assertEquals(FakeOpenApi.AUTH_ID, lastRequest().get("auth_id"));
    }

    @Test
    void createJsonIsTheIdObject() {
        CliRun run = queue("create", "--app", "apptest", "--json");
        assertEquals(0, run.exit(), run::toString);
        JsonNode doc = json(run);
        assertEquals(1, doc.size(), run::toString);
        assertTrue(doc.path("id").asText().matches(ID), run::toString);
    }

    @Test
    void addSendsEveryTaskParameterAndDependsAsDependTaskId() {
        String q = ok("create", "--app", "apptest");
        String first = ok("add", q, "--ip", "10.0.0.1", "--func", "hello");
        assertTrue(first.matches(ID), first);
        String param = "{\"my\":\"a b&c=d+e 中\"}";
        CliRun run = queue("add", q, "--ip", "10.0.0.2", "--func", "bye", "--param", param, "--timeout", "30",
                "--proxy", "python3", "--mode", "p", "--depends", first, "--json");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(json(run).path("id").asText().matches(ID), run::toString);

        assertEquals("/api/v2/queue/addtask", api.paths().get(2));
        Map<String, String> sent = lastRequest();
        assertEquals(q, sent.get("queue_id"));
        assertEquals("10.0.0.2", sent.get("ip"));
        assertEquals("bye", sent.get("func"));
        assertEquals(param, sent.get("param"));
        assertEquals("30", sent.get("timeout"));
        assertEquals("python3", sent.get("proxy"));
        assertEquals("P", sent.get("mode"));
        assertEquals(first, sent.get("depend_task_id"));
        assertFalse(sent.containsKey("app"), "the task runs the queue's app");
    }

    @Test
    void addLeavesOutOptionalParametersAndDefaultsTimeoutAndMode() {
        String q = ok("create", "--app", "apptest");
        ok("add", q, "--ip", "10.0.0.1", "--func", "hello");
        Map<String, String> sent = lastRequest();
        assertEquals("90", sent.get("timeout"));
        assertEquals("NP", sent.get("mode"));
        assertFalse(sent.containsKey("param") || sent.containsKey("proxy") || sent.containsKey("depend_task_id"),
                sent::toString);
    }

    @Test
    void submitPrintsSubmittedAndASecondSubmitIsTheApisError() {
        String q = ok("create", "--app", "apptest");
        ok("add", q, "--ip", "10.0.0.1", "--func", "hello");
        assertEquals("submitted", ok("submit", q));
        assertEquals("/api/v2/queue/commit", api.paths().get(2));
        assertEquals(q, lastRequest().get("queue_id"));

        CliRun again = queue("submit", q);
        assertEquals(2, again.exit(), again::toString);
        assertEquals("", again.out());
        assertEquals("[412.2]Queue Status Incorrect", again.err().strip());
    }

    @Test
    void submitJson() {
        String q = ok("create", "--app", "apptest");
        ok("add", q, "--ip", "10.0.0.1", "--func", "hello");
        CliRun run = queue("submit", q, "--json");
        assertEquals(0, run.exit(), run::toString);
        assertEquals(parse("{\"id\":\"" + q + "\",\"submitted\":true}"), json(run));
    }

    @Test
    void stopPrintsEveryTasksStatusAsATableOrJson() {
        String q = ok("create", "--app", "apptest");
        String a = ok("add", q, "--ip", "10.0.0.1", "--func", "hello");
        String b = ok("add", q, "--ip", "10.0.0.1", "--func", "hello", "--depends", a);
        ok("submit", q);
        assertEquals(1, queue("result", q).exit());   // one step: a runs, b waits for it

        CliRun run = queue("stop", q);
        assertEquals(0, run.exit(), run::toString);
        assertEquals("/api/v2/queue/stop", api.paths().get(api.paths().size() - 1));
        List<String> lines = run.out().lines().toList();
        assertEquals(3, lines.size(), run::toString);
        assertTrue(lines.get(0).matches("TASK\\s+STATUS"), run::toString);
        assertTrue(lines.get(1).matches(a + "\\s+running"), run::toString);
        assertTrue(lines.get(2).matches(b + "\\s+stopped"), run::toString);

        CliRun again = queue("stop", q, "--json");
        assertEquals(0, again.exit(), again::toString);
        assertEquals(parse("{\"" + a + "\":\"running\",\"" + b + "\":\"stopped\"}"), json(again));
    }

    @Test
    void stoppingAFinishedQueueIsTheApisError() {
        String q = ok("run", "--app", "apptest", "--ip", "10.0.0.1", "--func", "hello").split(" ")[0];
        assertEquals(0, queue("result", q, "--wait", "5").exit());
        CliRun run = queue("stop", q);
        assertEquals(2, run.exit(), run::toString);
        assertEquals("[412.2]Queue Status Incorrect", run.err().strip());
    }

    /** a ok → b runs after it; c fails → d (depends on c) skipped; e depends on d → skipped too. */
    private String[] dependencyQueue() {
        String q = ok("create", "--app", "apptest");
        String a = ok("add", q, "--ip", "10.0.0.1", "--func", "hello");
        String b = ok("add", q, "--ip", "10.0.0.1", "--func", "hello", "--depends", a);
        String c = ok("add", q, "--ip", "10.0.0.2", "--func", "hello");
        String d = ok("add", q, "--ip", "10.0.0.1", "--func", "hello", "--depends", c);
        String e = ok("add", q, "--ip", "10.0.0.1", "--func", "hello", "--depends", d);
        ok("submit", q);
        return new String[] {q, a, b, c, d, e};
    }

    @Test
    void resultWaitPollsUntilEveryTaskIsTerminalAndShowsTableAndSummary() {
        String[] ids = dependencyQueue();
        env = withColumns(200);    // wide enough for whole messages
        CliRun run = queue("result", ids[0], "--wait", "10");

        assertEquals(1, run.exit(), "a task failed, so not 0:\n" + run);
        assertEquals("", run.err(), run::toString);
        assertTrue(queues.resultCalls() >= 3, "polled until done: " + queues.resultCalls());
        List<String> lines = run.out().lines().toList();
        assertEquals(7, lines.size(), run::toString);
        assertTrue(lines.get(0).matches("TASK\\s+IP\\s+STATUS\\s+DEPENDS\\s+FLAG\\s+COST\\s+MESSAGE"), run::toString);
        assertTrue(lines.get(1).matches(ids[1] + "\\s+10\\.0\\.0\\.1\\s+finish\\s+-\\s+1\\s+74ms\\s+"
                + "hello from 10\\.0\\.0\\.1 \\(\\+1 lines\\)"), run::toString);
        assertTrue(lines.get(2).matches(ids[2] + "\\s+10\\.0\\.0\\.1\\s+finish\\s+" + ids[1] + "\\s+1\\s+74ms\\s+.*"),
                run::toString);
        assertTrue(lines.get(3).matches(ids[3] + "\\s+10\\.0\\.0\\.2\\s+finish\\s+-\\s+0\\s+12ms\\s+disk full"),
                run::toString);
        // answered stopped with "skipped":"true": shown skipped
        assertTrue(lines.get(4).matches(ids[4] + "\\s+10\\.0\\.0\\.1\\s+skipped\\s+" + ids[3] + "\\s+-\\s+-\\s+"
                + "\\[412\\.3]Stop Task Error: skipped: depend task " + ids[3] + " failed"), run::toString);
        assertTrue(lines.get(5).contains("skipped: depend task " + ids[4] + " was skipped"), run::toString);
        assertEquals("5 tasks: 2 finish ok, 1 failed, 2 skipped, 0 stopped, 0 running/pendding", lines.get(6));
    }

    @Test
    void resultExits0WhenEveryTaskFinishedWithWorkerFlag1() {
        String q = ok("create", "--app", "apptest");
        String a = ok("add", q, "--ip", "10.0.0.1", "--func", "hello");
        ok("add", q, "--ip", "10.0.0.1", "--func", "hello", "--depends", a);
        ok("submit", q);
        CliRun run = queue("result", "--wait", "10", q);   // a value, then the queue id
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().endsWith("2 tasks: 2 finish ok, 0 failed, 0 skipped, 0 stopped, 0 running/pendding\n"),
                run::toString);
    }

    @Test
    void resultWithoutWaitShowsTheStateOnceAndExits1WhileTasksRun() {
        String q = ok("create", "--app", "apptest");
        ok("add", q, "--ip", "10.0.0.1", "--func", "hello");
        CliRun before = queue("result", q);
        assertEquals(1, before.exit(), before::toString);
        assertTrue(before.out().contains(" pendding "), before::toString);
        assertTrue(before.out().endsWith("1 task: 0 finish ok, 0 failed, 0 skipped, 0 stopped, 1 running/pendding\n"),
                before::toString);
        assertEquals(1, queues.resultCalls());
    }

    @Test
    void resultWaitWithoutSecondsUsesTheDefault() {
        String q = ok("run", "--app", "apptest", "--ip", "10.0.0.1", "--func", "hello").split(" ")[0];
        CliRun run = queue("result", q, "--wait");
        assertEquals(0, run.exit(), run::toString);
        CliRun before = queue("result", "--wait", q);   // the id is not taken for the seconds
        assertEquals(0, before.exit(), before::toString);
    }

    @Test
    void resultWaitTimesOutWith3AndShowsTheLastState() {
        String q = ok("create", "--app", "apptest");
        ok("add", q, "--ip", "10.0.0.1", "--func", "hello");
        ok("add", q, "--ip", "10.0.0.9", "--func", "hello");   // its agent never answers
        ok("submit", q);
        CliRun run = queue("result", q, "--wait", "1");
        assertEquals(3, run.exit(), run::toString);
        assertEquals("queue " + q + ": 1 of 2 tasks still running/pendding after --wait 1 s", run.err().strip());
        assertTrue(run.out().endsWith("2 tasks: 1 finish ok, 0 failed, 0 skipped, 0 stopped, 1 running/pendding\n"),
                run::toString);
        assertTrue(run.millis() >= 900 && run.millis() < 5000, "gave up at --wait: " + run.millis());
        assertTrue(queues.resultCalls() >= 3, "kept polling: " + queues.resultCalls());
    }

    @Test
    void resultJsonHasEveryReferenceFieldAsText() {
        String q = ok("run", "--app", "apptest", "--ip", "10.0.0.5", "--func", "hello").split(" ")[0];
        CliRun run = queue("result", q, "--wait", "5", "--json");
        assertEquals(1, run.exit(), "worker_flag -1:\n" + run);
        JsonNode doc = json(run);
        assertEquals(1, doc.size(), run::toString);
        JsonNode task = doc.elements().next();
        for (String field : TaskRecord.FIELDS) {
            assertTrue(task.path(field).isTextual(), field + " in " + task);
        }
        assertEquals("-1", task.path("worker_flag").asText());
        assertEquals("5", task.path("worker_costtime").asText());
        assertEquals("finish", task.path("status").asText());
        assertFalse(run.out().contains("tasks:"), "no table or summary in JSON mode");
    }

    @Test
    void resultJsonKeepsSkippedTasksAsAnsweredStoppedWithTheirMark() {
        String[] ids = dependencyQueue();
        CliRun run = queue("result", ids[0], "--wait", "10", "--json");
        assertEquals(1, run.exit(), run::toString);
        JsonNode doc = json(run);
        for (int i : new int[] {4, 5}) {
            assertEquals("stopped", doc.path(ids[i]).path("status").asText(), run::toString);
            assertEquals("true", doc.path(ids[i]).path("skipped").asText(), run::toString);
        }
        assertTrue(doc.path(ids[1]).path("skipped").isMissingNode(), "the mark is on skipped tasks only");
    }

    @Test
    void aSkippedStatusFromAnOlderCenterOfOursIsStillSkipped() {
        JsonNode legacy = parse("{\"t\":{\"id\":\"t\",\"status\":\"skipped\"},"
                + "\"s\":{\"id\":\"s\",\"status\":\"stopped\"}}");
        List<TaskRecord> tasks = TaskRecord.listOf(legacy);
        assertEquals(TaskRecord.Outcome.SKIPPED, tasks.get(0).outcome());
        assertEquals(TaskRecord.Outcome.STOPPED, tasks.get(1).outcome());
        assertEquals("stopped", tasks.get(1).shownStatus());
    }

    @Test
    void recordsWithoutIpShowADashAndLinesFitTheTerminal() {
        queues.recordsHaveIp = false;
        String q = ok("run", "--app", "apptest", "--ip", "10.0.0.1", "--func", "hello").split(" ")[0];
        env = withColumns(70);
        CliRun run = queue("result", q, "--wait", "5");
        assertEquals(0, run.exit(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(1).startsWith(lines.get(1).substring(0, 16) + "  -  "), run::toString);
        assertTrue(lines.get(1).length() == 70 && lines.get(1).endsWith("..."), run::toString);
        assertTrue(lines.get(0).length() <= 70, run::toString);
    }

    @Test
    void runCreatesAOneTaskQueueAndPrintsBothIds() {
        CliRun run = queue("run", "--app", "apptest", "--ip", "10.0.0.1", "--func", "hello", "--param", "{}");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().strip().matches(ID + " " + ID), run::toString);
        assertEquals("/api/v2/queue/qksqueue", api.paths().get(0));
        Map<String, String> sent = lastRequest();
        assertEquals("apptest", sent.get("app"));
        assertEquals("{}", sent.get("param"));

        CliRun json = queue("run", "--app", "apptest", "--ip", "10.0.0.1", "--func", "hello", "--json");
        JsonNode doc = json(json);
        assertEquals(2, doc.size(), json::toString);
        assertTrue(doc.path("id").asText().matches(ID) && doc.path("task_id").asText().matches(ID), json::toString);
    }

    @Test
    void apiErrorsGoToStderrWithExit2() {
        String unknown = "0123456789ABCDEF";
        for (String[] args : List.of(
                new String[] {"result", unknown},
                new String[] {"submit", unknown},
                new String[] {"stop", unknown},
                new String[] {"add", unknown, "--ip", "10.0.0.1", "--func", "f"})) {
            CliRun run = queue(args);
            assertEquals(2, run.exit(), run::toString);
            assertEquals("", run.out(), run::toString);
            assertEquals("[412.1]Queue Not Found", run.err().strip(), run::toString);
        }
        String q = ok("create", "--app", "apptest");
        CliRun run = queue("add", q, "--ip", "10.0.0.1", "--func", "f", "--depends", unknown);
        assertEquals(2, run.exit(), run::toString);
        assertEquals("[412.4]Depend Task Not Found", run.err().strip());
        CliRun empty = queue("submit", q);
        assertEquals(2, empty.exit(), empty::toString);
        assertEquals("[412.2]Queue Status Incorrect", empty.err().strip());
    }

    @Test
    void noAnswerExits3() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        env = CliRun.env("http://127.0.0.1:" + closedPort, home);
        for (String[] args : List.of(new String[] {"create", "--app", "a"},
                new String[] {"result", "0123456789ABCDEF", "--wait", "5"})) {
            CliRun run = queue(args);
            assertEquals(3, run.exit(), run::toString);
            assertEquals("", run.out());
            assertTrue(run.err().startsWith("no answer: cannot connect to"), run::toString);
        }
    }

    @Test
    void argumentErrorsAreRefusedBeforeAnyRequest() {
        String q = "0123456789ABCDEF";
        Map<List<String>, String> cases = Map.of(
                List.of("add", q, "--ip", "10.0.0.256", "--func", "f"), "is not a dotted IPv4 address",
                List.of("add", q, "--ip", "10.0.0.1,10.0.0.2", "--func", "f"), "--ip takes one address",
                List.of("add", q, "--ip", "10.0.0.1", "--func", "f", "--param", "{x"), "--param is not valid JSON",
                List.of("add", q, "--ip", "10.0.0.1", "--func", "f", "--mode", "X"), "--mode must be NP or P",
                List.of("add", q, "--ip", "10.0.0.1", "--func", "f", "--timeout", "0"), "--timeout must be at least 1",
                List.of("add", q, "--ip", "10.0.0.1", "--func", "f", "--depends", "nope"), "--depends 'nope' is not a",
                List.of("add", "bad-id", "--ip", "10.0.0.1", "--func", "f"), "QUEUE_ID 'bad-id' is not a",
                List.of("submit"), "Missing required parameter: 'QUEUE_ID'",
                List.of("result", q, "--wait", "0"), "--wait must be more than 0",
                List.of("run", "--app", " ", "--ip", "10.0.0.1", "--func", "f"), "--app must not be blank");
        cases.forEach((args, message) -> {
            CliRun run = queue(args.toArray(String[]::new));
            assertEquals(2, run.exit(), run::toString);
            assertEquals("", run.out(), run::toString);
            assertTrue(run.err().contains(message), message + " expected in\n" + run);
            assertTrue(run.err().contains("Try 'elves queue " + args.get(0) + " --help'"), run::toString);
        });
        assertEquals(List.of(), api.requests(), "nothing was sent");
    }

    @Test
    void queueAloneShowsItsActionsAsAUsageError() {
        CliRun run = queue();
        assertEquals(2, run.exit(), run::toString);
        for (String action : List.of("create", "add", "submit", "stop", "result", "run")) {
            assertTrue(run.err().contains(action), action + " in\n" + run);
        }
        CliRun help = queue("result", "--help");
        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().contains("--wait[=SECONDS]") && help.out().contains("Exit codes:")
                && help.out().contains("--auth-id"), help::toString);
    }
}

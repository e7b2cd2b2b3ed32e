package org.elves.cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.CliEnvironment;
import org.elves.cli.CliRun;
import org.elves.cli.FakeOpenApi;
import org.elves.cli.logs.LogsFake;
import org.elves.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code elves exec} end to end against a stand-in OpenAPI that verifies every signature. */
@Timeout(30)
class ExecCommandTest {
    /** Well under FakeOpenApi.SLOW_MILLIS, so 10.0.0.4 gives no answer. */
    private static final String WAIT = "0.5";

    @TempDir
    Path home;
    private FakeOpenApi api;
    private CliEnvironment env;

    @BeforeEach
    void start() throws IOException {
        api = new FakeOpenApi();
        env = CliRun.env(api.url(), home);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private CliRun exec(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "exec";
        System.arraycopy(new String[] {"--app", "apptest", "--func", "hello"}, 0, all, 1, 4);
        System.arraycopy(args, 0, all, 5, args.length);
        return CliRun.run(env, all);
    }

    @Test
    void oneHostOkPrintsTheWorkerMessageAndSendsTheParameters() {
        String param = "{\"my\":\"a b&c=d+e %20 中\"}";
        CliRun run = exec("--ip", "10.0.0.1", "--param", param, "--timeout", "30", "--proxy", "python3");

        assertEquals(0, run.exit(), run::toString);
        assertEquals("hello from 10.0.0.1\nsecond line\n", run.out());
        assertTrue(run.err().matches("10\\.0\\.0\\.1 ok worker_flag=1 cost=74ms task=[0-9a-f]{16}\\R"), run::toString);
        Map<String, String> sent = api.requests().get(0);
        assertEquals("10.0.0.1", sent.get("ip"));
        assertEquals("apptest", sent.get("app"));
        assertEquals("hello", sent.get("func"));
        assertEquals(param, sent.get("param"), "sent byte for byte, so the server signs what we signed");
        assertEquals("30", sent.get("timeout"));
        assertEquals("python3", sent.get("proxy"));
        assertEquals(FakeOpenApi.AUTH_ID, sent.get("auth_id"));
        assertEquals("hmac-sha256", sent.get("sign_type"), "the strong signature by default");
        assertTrue(sent.get("nonce").matches("[A-Za-z0-9_-]{22}"), sent::toString);
        assertEquals(List.of("GET"), api.methods());
    }

    @Test
    void signTypeMd5SignsForAnOriginalCenter() {
        assertEquals(0, exec("--ip", "10.0.0.1", "--sign-type", "md5").exit());
        assertEquals("MD5", api.requests().get(0).get("sign_type"));
        assertFalse(api.requests().get(0).containsKey("nonce"));

        CliRun run = exec("--ip", "10.0.0.1", "--sign-type", "sha1");
        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("sign type 'sha1' is unknown"), run::toString);
    }

    @Test
    void optionalParametersAreLeftOutAndTimeoutDefaultsTo90() {
        assertEquals(0, exec("--ip", "10.0.0.1").exit());
        Map<String, String> sent = api.requests().get(0);
        assertEquals("90", sent.get("timeout"));
        assertTrue(!sent.containsKey("param") && !sent.containsKey("proxy"), sent::toString);
    }

    @Test
    void oneHostWorkerFailureExits1WithTheWorkersMessage() {
        CliRun run = exec("--ip", "10.0.0.2");
        assertEquals(1, run.exit(), run::toString);
        assertEquals("disk full\n", run.out());
        assertTrue(run.err().startsWith("10.0.0.2 failed worker_flag=0 cost=12ms"), run::toString);
    }

    @Test
    void workerSystemErrorSentAsNumbersExits1() {
        CliRun run = exec("--ip", "10.0.0.5");
        assertEquals(1, run.exit(), run::toString);
        assertEquals("worker crashed\n", run.out());
        assertTrue(run.err().startsWith("10.0.0.5 failed worker_flag=-1 cost=5ms"), run::toString);
    }

    @Test
    void oneHostApiErrorExits2WithTheErrorTextAlthoughHttpStatusIs414() {
        CliRun run = exec("--ip", "10.9.9.9");
        assertEquals(2, run.exit(), run::toString);
        assertEquals("", run.out());
        assertEquals("[414.1]Agent Info Not Found", run.err().strip());
    }

    @Test
    void oneHostWithoutAnswerInTimeExits3() {
        CliRun run = exec("--ip", "10.0.0.4", "--wait", WAIT);
        assertEquals(3, run.exit(), run::toString);
        assertEquals("", run.out());
        assertTrue(run.err().contains("no answer") && run.err().contains("within 0.5 s"), run::toString);
        assertTrue(run.millis() < FakeOpenApi.SLOW_MILLIS, "gave up at --wait, not when the server answered");
    }

    @Test
    void refusedConnectionExits3() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        env = CliRun.env("http://127.0.0.1:" + closedPort, home);
        CliRun run = exec("--ip", "10.0.0.1");
        assertEquals(3, run.exit(), run::toString);
        assertTrue(run.err().contains("cannot connect to http://127.0.0.1:" + closedPort), run::toString);
    }

    @Test
    void wrongKeyIsRejectedByTheServerWith401_5AndNeverShown() {
        String wrongKey = "not-the-key-0815";
        CliRun run = exec("--ip", "10.0.0.1", "--key", wrongKey);
        assertEquals(2, run.exit(), run::toString);
        assertEquals("[401.5]Unauthorized Sign Error", run.err().strip());
        assertTrue(!run.out().contains(wrongKey) && !run.err().contains(wrongKey));
    }

    @Test
    void fanOutPrintsOneLinePerHostAndTheSummary() {
        CliRun run = exec("--ip", "10.0.0.1,10.0.0.2", "--ip", "10.9.9.9 10.0.0.4", "--wait", WAIT);

        assertEquals(1, run.exit(), run::toString);
        List<String> lines = run.out().lines().collect(Collectors.toList());
        assertEquals(5, lines.size(), run::toString);
        assertTrue(lines.contains(String.format("%-15s %-9s %2s %8s  %s", "10.0.0.1", "ok", "1", "74ms",
                "hello from 10.0.0.1 (+1 lines)")), run::toString);
        assertLine(lines, "10.0.0.2", "failed", "disk full");
        assertLine(lines, "10.9.9.9", "failed", "[414.1]Agent Info Not Found");
        assertLine(lines, "10.0.0.4", "no_answer", "within 0.5 s");
        assertEquals("4 hosts: 1 ok, 2 failed, 1 no answer", lines.get(4));
        assertEquals("", run.err());
    }

    private static void assertLine(List<String> lines, String ip, String status, String text) {
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(ip + " ") && l.contains(" " + status + " ")
                && l.contains(text)), () -> ip + " " + status + " " + text + " not in " + lines);
    }

    @Test
    void fanOutAllOkExits0AndKeepsToTheParallelLimit() {
        CliRun run = exec("--ip", "10.0.1.1,10.0.1.2,10.0.1.3,10.0.1.4,10.0.1.5,10.0.1.6", "--parallel", "2");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().endsWith("6 hosts: 6 ok, 0 failed, 0 no answer\n"), run::toString);
        assertEquals(2, api.maxInFlight(), "two calls at a time, as --parallel 2 asks");
    }

    @Test
    void fanOutRunsInParallelByDefault() {
        CliRun run = exec("--ip", "10.0.1.1,10.0.1.2,10.0.1.3,10.0.1.4,10.0.1.5,10.0.1.6");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.millis() < 6 * FakeOpenApi.BUSY_MILLIS, "not one after another: " + run.millis() + " ms");
    }

    @Test
    void fanOutWithoutAnyAnswerExits3() {
        CliRun run = exec("--ip", "10.0.0.4,10.0.0.4,10.0.0.4", "--ip", "10.0.0.4", "--wait", WAIT);
        assertEquals(3, run.exit(), run::toString);
        assertEquals(1, api.requests().size(), "repeated addresses run once");

        run = exec("--ip", "10.0.0.4", "--ip", "10.0.0.1", "--wait", WAIT);
        assertEquals(1, run.exit(), "one answered: failed, not 'no answer'");
    }

    @Test
    void jsonForManyHostsHasEveryKeyInTheGivenOrder() throws IOException {
        CliRun run = exec("--json", "--ip", "10.0.0.4,10.0.0.1,10.0.0.2,10.9.9.9", "--wait", WAIT);

        assertEquals(1, run.exit(), run::toString);
        assertEquals("", run.err());
        JsonNode doc = Json.MAPPER.readTree(run.out());
        JsonNode results = doc.get("results");
        assertEquals(List.of("10.0.0.4", "10.0.0.1", "10.0.0.2", "10.9.9.9"),
                Arrays.stream(new int[] {0, 1, 2, 3}).mapToObj(i -> results.get(i).get("ip").asText()).toList());
        for (JsonNode r : results) {
            assertEquals(List.of("ip", "status", "flag", "error", "id", "worker_flag", "worker_message",
                    "worker_costtime"), fieldNames(r));
        }
        JsonNode noAnswer = results.get(0);
        assertEquals("no_answer", noAnswer.get("status").asText());
        assertTrue(noAnswer.get("flag").isNull() && noAnswer.get("worker_flag").isNull());
        assertTrue(noAnswer.get("error").asText().contains("within 0.5 s"));
        JsonNode ok = results.get(1);
        assertEquals("ok", ok.get("status").asText());
        assertEquals("true", ok.get("flag").asText());
        assertEquals("", ok.get("error").asText());
        assertEquals("1", ok.get("worker_flag").asText());
        assertEquals("hello from 10.0.0.1\nsecond line", ok.get("worker_message").asText());
        assertEquals("74", ok.get("worker_costtime").asText());
        assertEquals(16, ok.get("id").asText().length());
        assertEquals("failed", results.get(2).get("status").asText());
        assertEquals("0", results.get(2).get("worker_flag").asText());
        JsonNode apiError = results.get(3);
        assertEquals("failed", apiError.get("status").asText());
        assertEquals("false", apiError.get("flag").asText());
        assertEquals("[414.1]Agent Info Not Found", apiError.get("error").asText());
        assertEquals(Json.MAPPER.readTree("{\"hosts\":4,\"ok\":1,\"failed\":2,\"no_answer\":1}"), doc.get("summary"));
    }

    @Test
    void jsonForOneHostHasTheSameShapeAndExitCodes() throws IOException {
        CliRun run = exec("--json", "--ip", "10.9.9.9");
        assertEquals(2, run.exit(), run::toString);
        JsonNode doc = Json.MAPPER.readTree(run.out());
        assertEquals(1, doc.get("results").size());
        assertEquals("[414.1]Agent Info Not Found", doc.get("results").get(0).get("error").asText());
        assertEquals(1, doc.get("summary").get("failed").asInt());

        assertEquals(0, exec("--json", "--ip", "10.0.0.1").exit());
    }

    @Test
    void hostFileWithCommentsBlankLinesAndRepeats() throws IOException {
        Path file = home.resolve("hosts.txt");
        Files.writeString(file, "# web servers\n10.0.1.1\n\n   10.0.1.2   # the second\n10.0.1.1\n10.0.1.3\n");
        CliRun run = exec("--ip", "10.0.1.2,@" + file, "--parallel", "1");
        assertEquals(0, run.exit(), run::toString);
        assertEquals(List.of("10.0.1.2", "10.0.1.1", "10.0.1.3"),
                api.requests().stream().map(p -> p.get("ip")).toList());
    }

    @Test
    void invalidAddressIsRefusedBeforeAnyRequest() throws IOException {
        CliRun run = exec("--ip", "10.0.0.1,10.0.0.300");
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("elves exec: --ip: '10.0.0.300' is not a dotted IPv4 address"), run::toString);
        assertTrue(run.err().contains("Try 'elves exec --help'"), run::toString);

        Path file = home.resolve("hosts.txt");
        Files.writeString(file, "10.0.0.1\nweb01.example.org\n");
        run = exec("--ip", "@" + file);
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("'web01.example.org' in @" + file + " line 2"), run::toString);

        run = exec("--ip", "@" + home.resolve("missing.txt"));
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("cannot read the file"), run::toString);
        assertEquals(List.of(), api.requests());
    }

    @Test
    void invalidParamIsRefusedBeforeAnyRequest() {
        for (String param : List.of("{\"a\":", "{my:1}", "{} trailing", "hello")) {
            CliRun run = exec("--ip", "10.0.0.1", "--param", param);
            assertEquals(2, run.exit(), run::toString);
            assertTrue(run.err().startsWith("elves exec: --param is not valid JSON"), run::toString);
        }
        assertEquals(List.of(), api.requests());
    }

    @Test
    void longParamGoesAsPostAndIsStillSignedRight() {
        String param = "{\"data\":\"" + "x".repeat(5000) + "\"}";
        CliRun run = exec("--ip", "10.0.0.1", "--param", param);
        assertEquals(0, run.exit(), run::toString);
        assertEquals(List.of("POST"), api.methods());
        assertEquals(param, api.requests().get(0).get("param"));
    }

    @Test
    void missingCredentialsSayHowToGiveThemAndExit2() {
        env = new CliEnvironment(Map.of("ELVES_API", api.url()), home, false);
        CliRun run = exec("--ip", "10.0.0.1");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--auth-id and --key") && run.err().contains("ELVES_AUTH_KEY")
                && run.err().contains(home.resolve(".elves").resolve("credentials.properties").toString()), run::toString);
        assertEquals(List.of(), api.requests());
    }

    @Test
    void credentialsFileOfTheStandaloneCenterIsEnoughAndFlagsOverrideIt() throws IOException {
        Path elvesHome = home.resolve("elves-home");
        Files.createDirectories(elvesHome);
        Files.writeString(elvesHome.resolve("credentials.properties"), "api=" + api.url().replace(":", "\\:")
                + "\nauth_id=" + FakeOpenApi.AUTH_ID + "\nauth_key=" + FakeOpenApi.KEY + "\n");
        env = new CliEnvironment(Map.of("ELVES_HOME", elvesHome.toString()), home, false);
        assertEquals(0, exec("--ip", "10.0.0.1").exit());

        CliRun run = exec("--ip", "10.0.0.1", "--auth-id", "8", "--key", "flag-key-0815");
        assertEquals(2, run.exit(), "the flags, not the file, were used: the server rejects them");
        assertEquals("8", api.requests().get(1).get("auth_id"));
    }

    @Test
    void missingOrBadOptionsAreUsageErrors() {
        CliRun run = CliRun.run(env, "exec", "--ip", "10.0.0.1", "--app", "apptest");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("Missing required option: '--func=FUNC'"), run::toString);
        assertEquals(2, exec("--ip", "10.0.0.1", "--timeout", "0").exit());
        assertEquals(2, exec("--ip", "10.0.0.1", "--parallel", "0").exit());
        assertEquals(2, exec("--ip", "10.0.0.1", "--timeout", "soon").exit());
        assertEquals(List.of(), api.requests());
    }

    @Test
    void followPrintsTheOutputLiveThenTheResult() throws IOException {
        api.close();
        api = new FakeOpenApi(new LogsFake());
        env = CliRun.env(api.url(), home);
        CliRun run = exec("--ip", "10.0.0.1", "--follow");

        assertEquals(0, run.exit(), run::toString);
        assertEquals("line 1\nline 2\n" + "hello from 10.0.0.1\nsecond line\n", run.out(),
                "the output as it ran, then the worker's message");
        assertTrue(run.err().matches("oops\\R10\\.0\\.0\\.1 ok worker_flag=1 cost=74ms task=[0-9a-f]{16}\\R"),
                run::toString);
        String taskId = null;
        String followed = null;
        for (int i = 0; i < api.paths().size(); i++) {
            Map<String, String> sent = api.requests().get(i);
            switch (api.paths().get(i)) {
                case "/api/v2/rt/exec" -> taskId = sent.get("task_id");
                case "/api/v2/logs/output" -> {
                    followed = sent.get("task_id");
                    assertEquals("0", sent.get("after_seq"));
                }
                default -> throw new AssertionError("unexpected call " + api.paths().get(i));
            }
        }
        assertTrue(taskId != null && taskId.matches("[0-9A-F]{16}"), "rt/exec got a new task id: " + taskId);
        assertEquals(taskId, followed, "the output of that task was followed");

        CliRun failed = exec("--ip", "10.0.0.2", "--follow");
        assertEquals(1, failed.exit(), failed::toString);
        assertEquals("line 1\nline 2\ndisk full\n", failed.out(), "the message on a line of its own:\n" + failed);
    }

    @Test
    void followStopsFollowingWhenTheTaskNeverStarted() throws IOException {
        api.close();
        api = new FakeOpenApi(new LogsFake());
        env = CliRun.env(api.url(), home);
        CliRun run = exec("--ip", "10.0.0.3", "--follow");
        assertEquals(2, run.exit(), run::toString);
        assertEquals("[414.1]Agent Info Not Found", run.err().strip(), run::toString);
        assertTrue(run.millis() < LogsFake.FOLLOW_WAIT_MILLIS, "not waiting for the stream to give up: " + run);
    }

    @Test
    void followTakesOneAgentAndNoJson() {
        CliRun run = exec("--ip", "10.0.0.1,10.0.0.2", "--follow");
        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("--follow shows the output of one task as it runs: give one agent, not 2"),
                run::toString);
        CliRun json = exec("--ip", "10.0.0.1", "--follow", "--json");
        assertEquals(2, json.exit(), json::toString);
        assertTrue(json.err().contains("it does not go with --json"), json::toString);
        assertEquals(List.of(), api.requests(), "nothing was sent");

        assertEquals(0, exec("--ip", "10.0.0.1").exit());
        assertFalse(api.requests().get(0).containsKey("task_id"), "without --follow the center picks the id");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

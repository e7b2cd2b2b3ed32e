package org.elves.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.AdminFake;
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
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code elves app ...} against a stand-in admin API that verifies every signature. */
@Timeout(30)
class AppCommandTest {
    @TempDir
    Path home;
    private FakeOpenApi api;
    private CliEnvironment env;

    @BeforeEach
    void start() throws IOException {
        api = new FakeOpenApi(new AdminFake());
        env = CliRun.env(api.url(), home);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private CliRun app(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "app";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(env, all);
    }

    private String ok(String... args) {
        CliRun run = app(args);
        assertEquals(0, run.exit(), run::toString);
        assertEquals("", run.err(), run::toString);
        return run.out().strip();
    }

    private Path zip(String name) throws IOException {
        Path file = home.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("app.py"));
            zip.write("print('hello')\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    private static JsonNode json(CliRun run) {
        try {
            return Json.MAPPER.readTree(run.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + run, e);
        }
    }

    private Map<String, String> lastRequest() {
        List<Map<String, String>> all = api.requests();
        return withoutSigning(all.get(all.size() - 1));
    }

    private static Map<String, String> withoutSigning(Map<String, String> request) {
        Map<String, String> m = new LinkedHashMap<>(request);
        for (String signing : List.of("auth_id", "timestamp", "sign_type", "nonce", "sign")) {
            assertTrue(m.remove(signing) != null, signing + " in " + request);
        }
        return m;
    }

    @Test
    void createSendsTheFieldsAndJsonIsTheResult() {
        assertEquals("created app apptest", ok("create", "--app", "apptest", "--name", "App test"));
        assertEquals(Map.of("app", "apptest", "name", "App test"), lastRequest());
        assertEquals("/api/v2/admin/app/create", api.paths().get(0));
        CliRun run = app("create", "--app", "proc-app", "--name", "P", "--processor", "127.0.0.1:10010", "--json");
        assertEquals(0, run.exit(), run::toString);
        assertEquals("proc-app", json(run).path("app").asText());
        assertEquals("127.0.0.1:10010", lastRequest().get("processor"));
    }

    @Test
    void uploadPostsTheZipWithItsSha256SignedInTheQuery() throws Exception {
        ok("create", "--app", "apptest", "--name", "App test");
        Path file = zip("apptest-1.0.1.zip");
        byte[] bytes = Files.readAllBytes(file);
        String sha = AppUpload.sha256(bytes);
        assertTrue(sha.matches("[0-9a-f]{64}"), sha);
        assertEquals(sha, java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));

        String out = ok("upload", "--app", "apptest", "--version", "1.0.1", file.toString());
        assertEquals("uploaded apptest 1.0.1 (" + bytes.length + " bytes, sha256 " + sha + ")", out);
        assertEquals("POST", api.methods().get(1));
        assertEquals("/api/v2/admin/app/upload", api.paths().get(1));
        assertEquals(Map.of("app", "apptest", "version", "1.0.1", "sha256", sha), lastRequest());
        assertArrayEquals(bytes, api.bodies().get(0), "the zip is the body");

        CliRun json = app("upload", "--app", "apptest", "--version", "1.0.2", file.toString(), "--json");
        assertEquals(0, json.exit(), json::toString);
        assertEquals("1.0.2", json(json).path("version").asText());
        assertEquals(sha, json(json).path("sha256").asText());
    }

    @Test
    void uploadRefusesWhatIsNoZipOrNoValidNameBeforeSending() throws IOException {
        Path zip = zip("ok.zip");
        Path text = home.resolve("notes.zip");
        Files.writeString(text, "not a zip");
        Path empty = home.resolve("empty.zip");
        try (OutputStream o = Files.newOutputStream(empty); ZipOutputStream z = new ZipOutputStream(o)) {
            z.finish();
        }
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("upload", "--app", "apptest", "--version", "1.0", text.toString()), "is not a zip archive");
        cases.put(List.of("upload", "--app", "apptest", "--version", "1.0", empty.toString()), "is an empty zip archive");
        cases.put(List.of("upload", "--app", "apptest", "--version", "1.0", home.resolve("missing.zip").toString()),
                "no such file");
        cases.put(List.of("upload", "--app", "app_test", "--version", "1.0", zip.toString()), "no '_'");
        cases.put(List.of("upload", "--app", "AppTest", "--version", "1.0", zip.toString()), "is not an app name");
        cases.put(List.of("upload", "--app", "apptest", "--version", "1.0 beta", zip.toString()), "is not a version");
        cases.put(List.of("upload", "--app", "apptest", "--version", "1_0", zip.toString()), "is not a version");
        cases.put(List.of("upload", "--app", "apptest", zip.toString()), "Missing required option: '--version=VERSION'");
        cases.put(List.of("create", "--app", "apptest", "--name", "x", "--processor", "nohost"), "is not host:port");
        cases.put(List.of("deploy", "--app", "apptest"), "give --version, --agents or both");
        cases.put(List.of("deploy", "--app", "apptest", "--agents", "10.0.0.300"), "--agents: '10.0.0.300' is not a dotted IPv4");
        cases.put(List.of("deploy", "--app", "apptest", "--agents", "10.0.0.1,*"), "'*' alone");
        cases.put(List.of("status"), "Missing required option: '--app=APP'");
        cases.forEach((args, message) -> {
            CliRun run = app(args.toArray(String[]::new));
            assertEquals(2, run.exit(), run::toString);
            assertEquals("", run.out(), run::toString);
            assertTrue(run.err().contains(message), message + " expected in\n" + run);
            assertTrue(run.err().contains("Try 'elves app " + args.get(0) + " --help'"), run::toString);
        });
        assertEquals(List.of(), api.requests(), "nothing was sent");
    }

    @Test
    void deploySetsTheOnlineVersionFirstThenTheAgents() throws IOException {
        ok("create", "--app", "apptest", "--name", "App test");
        ok("upload", "--app", "apptest", "--version", "1.0.1", zip("a.zip").toString());
        String out = ok("deploy", "--app", "apptest", "--version", "1.0.1", "--agents", "127.0.0.2, 127.0.0.3,127.0.0.2");
        assertEquals("apptest: agents run version 1.0.1\napptest: deployed to 127.0.0.2, 127.0.0.3", out);
        List<String> paths = api.paths();
        assertEquals(List.of("/api/v2/admin/app/online", "/api/v2/admin/app/deploy"), paths.subList(2, 4));
        assertEquals(Map.of("app", "apptest", "agents", "127.0.0.2,127.0.0.3"), lastRequest());

        CliRun all = app("deploy", "--app", "apptest", "--agents", "*", "--json");
        assertEquals(0, all.exit(), all::toString);
        assertEquals("*", json(all).path("agents").get(0).asText());
        assertFalse(json(all).has("version"), all::toString);
        assertEquals(Map.of("app", "apptest", "agents", "*"), lastRequest());

        CliRun back = app("deploy", "--app", "apptest", "--version", "0.9");
        assertEquals(2, back.exit(), back::toString);
        assertEquals("[403.2]Request Params (param) Illegal", back.err().strip());
    }

    @Test
    void listAndStatusAreTablesAndJsonTheAnswers() throws IOException {
        assertEquals("no apps", ok("list"));
        ok("create", "--app", "apptest", "--name", "App test", "--processor", "127.0.0.1:10010");
        ok("create", "--app", "other", "--name", "Other");
        ok("upload", "--app", "apptest", "--version", "1.0.1", zip("a.zip").toString());
        ok("upload", "--app", "apptest", "--version", "1.0.2", zip("b.zip").toString());
        ok("deploy", "--app", "apptest", "--version", "1.0.2", "--agents", "127.0.0.2,127.0.0.3");

        String[] lines = ok("list").split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("APP ") && lines[0].contains("ONLINE"), lines[0]);
        assertTrue(lines[1].startsWith("apptest ") && lines[1].contains("App test") && lines[1].contains("127.0.0.1:10010")
                && lines[1].contains("1.0.1,1.0.2") && lines[1].contains("127.0.0.2,127.0.0.3"), lines[1]);
        assertTrue(lines[2].startsWith("other ") && lines[2].contains(" - "), lines[2]);
        assertEquals("2 apps", lines[3]);
        CliRun json = app("list", "--json");
        assertEquals(2, json(json).size(), json::toString);
        assertEquals(2, json(json).get(0).path("versions").size());

        String[] status = ok("status", "--app", "apptest").split("\n");
        assertEquals(4, status.length, String.join("\n", status));
        assertTrue(status[0].startsWith("IP ") && status[0].contains("INSTALLED"), status[0]);
        assertTrue(status[1].startsWith("127.0.0.2 ") && status[1].contains("installed"), status[1]);
        assertTrue(status[2].contains("failed") && status[2].contains("sha256 mismatch (+1 lines)"), status[2]);
        assertEquals("2 agents for apptest: 1 failed, 1 installed", status[3]);
        assertEquals(Map.of("app", "apptest"), lastRequest());
        assertEquals("no agents for other", ok("status", "--app", "other"));
    }

    @Test
    void apiErrorsExit2AndSilenceExits3() throws IOException {
        CliRun run = app("status", "--app", "nope");
        assertEquals(2, run.exit(), run::toString);
        assertEquals("[413.2]App Not Found", run.err().strip());
        Path file = zip("a.zip");
        run = app("upload", "--app", "nope", "--version", "1", file.toString());
        assertEquals(2, run.exit(), run::toString);
        assertEquals("[413.2]App Not Found", run.err().strip());

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        env = CliRun.env("http://127.0.0.1:" + closedPort, home);
        for (String[] args : List.of(new String[] {"list"},
                new String[] {"upload", "--app", "apptest", "--version", "1", file.toString()})) {
            run = app(args);
            assertEquals(3, run.exit(), run::toString);
            assertTrue(run.err().startsWith("no answer: cannot"), run::toString);
        }
    }

    @Test
    void appAloneShowsItsActions() {
        CliRun run = app();
        assertEquals(2, run.exit(), run::toString);
        for (String action : List.of("create", "upload", "deploy", "list", "status")) {
            assertTrue(run.err().contains(action), action + " in\n" + run);
        }
        CliRun help = app("upload", "--help");
        assertEquals(0, help.exit(), help::toString);
        assertTrue(help.out().contains("FILE.zip") && help.out().contains("Exit codes:"), help::toString);
    }
}

package org.elves.cli.key;

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
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code elves key ...} against a stand-in admin API that verifies every signature. */
@Timeout(30)
class KeyCommandTest {
    @TempDir
    Path home;
    private FakeOpenApi api;
    private CliEnvironment env;

    @BeforeEach
    void start() {
        try {
            api = new FakeOpenApi(new AdminFake());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        env = CliRun.env(api.url(), home);
        // an app to grant
        assertEquals(0, CliRun.run(env, "app", "create", "--app", "apptest", "--name", "App test").exit());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private CliRun key(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "key";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(env, all);
    }

    private String ok(String... args) {
        CliRun run = key(args);
        assertEquals(0, run.exit(), run::toString);
        assertEquals("", run.err(), run::toString);
        return run.out().strip();
    }

    private List<String> paths() {
        List<String> all = api.paths();
        return all.subList(1, all.size());
    }

    private Map<String, String> request(int i) {
        Map<String, String> m = new LinkedHashMap<>(api.requests().get(i + 1));
        for (String signing : List.of("auth_id", "timestamp", "sign_type", "nonce", "sign")) {
            assertTrue(m.remove(signing) != null, signing);
        }
        return m;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void createWithAGrantPrintsExactlyTheJsonScriptsRead() {
        String out = ok("create", "--app", "apptest", "--ip", "127.0.0.1", "--json");
        assertEquals("{\"auth_id\": \"k100\", \"key\": \"secret-of-k100\"}", out);
        assertEquals(List.of("/api/v2/admin/key/create", "/api/v2/admin/key/grant"), paths());
        assertEquals(Map.of("name", "apptest", "strong_only", "false", "admin", "false"), request(0));
        assertEquals(FakeOpenApi.AUTH_ID, api.requests().get(1).get("auth_id"), "signed by the caller's AuthID");
        assertEquals(Map.of("key_id", "k100", "app", "apptest", "agents", "127.0.0.1"), request(1));
    }

    @Test
    void createAloneAndWithFlagsPrintsTheSecretOnce() {
        String out = ok("create", "--name", "ci", "--strong", "--admin");
        assertEquals("auth_id  k100\nkey      secret-of-k100", out);
        assertEquals(List.of("/api/v2/admin/key/create"), paths());
        assertEquals("ci", request(0).get("name"));
        assertEquals("true", request(0).get("strong_only"));
        assertEquals("true", request(0).get("admin"));
        String granted = ok("create", "--name", "two", "--app", "apptest", "--ip", "*");
        assertTrue(granted.endsWith("grants   apptest: *"), granted);
    }

    @Test
    void aFailedGrantStillShowsTheNewSecretAndSaysHowToRetry() {
        CliRun run = key("create", "--app", "gone", "--ip", "10.0.0.1", "--json");
        assertEquals(2, run.exit(), run::toString);
        assertEquals("k100", json(run.out()).path("auth_id").asText());
        assertTrue(run.err().contains("key k100 was created but not granted gone: [413.2]App Not Found")
                && run.err().contains("elves key grant k100 --app gone --ip 10.0.0.1"), run::toString);
    }

    @Test
    void grantRevokeRotateAndList() {
        ok("create", "--name", "ci");
        assertEquals("k100 grants: apptest: 127.0.0.2,127.0.0.3",
                ok("grant", "k100", "--app", "apptest", "--ip", "127.0.0.2,127.0.0.3"));
        assertEquals(Map.of("key_id", "k100", "app", "apptest", "agents", "127.0.0.2,127.0.0.3"), request(1));

        String[] lines = ok("list").split("\n");
        assertEquals(3, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("AUTH_ID ") && lines[0].endsWith("GRANTS"), lines[0]);
        assertTrue(lines[1].startsWith("k100 ") && lines[1].contains(" ci ") && lines[1].contains(" no ")
                && lines[1].endsWith("apptest: 127.0.0.2,127.0.0.3"), lines[1]);
        assertEquals("1 key", lines[2]);
        String json = key("list", "--json").out();
        assertEquals(1, json(json).size());
        assertFalse(json.contains("secret-of"), "no secrets in the list: " + json);

        assertEquals("auth_id  k100\nkey      rotated-k100", ok("rotate", "k100"));
        assertEquals("{\"auth_id\": \"k100\", \"key\": \"rotated-k100\"}", ok("rotate", "k100", "--json"));
        assertTrue(ok("list").contains(AdminFake.TIME + "  apptest"), "rotate time shows");

        assertEquals("k100 grants: -", ok("revoke", "k100", "--app", "apptest"));
        assertEquals(Map.of("key_id", "k100", "app", "apptest"), request(paths().size() - 1));
        assertEquals("deleted key k100", ok("revoke", "k100"));
        assertEquals(Map.of("key_id", "k100"), request(paths().size() - 1));
        assertEquals("no keys", ok("list"));

        CliRun gone = key("rotate", "k100");
        assertEquals(2, gone.exit(), gone::toString);
        assertEquals("[413.1]AuthId Not Found", gone.err().strip());
    }

    @Test
    void argumentErrorsAreRefusedBeforeAnyRequest() {
        int before = api.requests().size();
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("create", "--app", "apptest"), "--app needs --ip");
        cases.put(List.of("create", "--ip", "10.0.0.1"), "--ip needs --app");
        cases.put(List.of("create", "--app", "app_test", "--ip", "*"), "no '_'");
        cases.put(List.of("create", "--app", "apptest", "--ip", "10.0.0.999"), "is not a dotted IPv4");
        cases.put(List.of("create", "--name", " "), "--name must not be blank");
        cases.put(List.of("grant", "k1", "--app", "apptest"), "Missing required option: '--ip=IPS|*'");
        cases.put(List.of("grant", "--app", "apptest", "--ip", "*"), "Missing required parameter: 'AUTH_ID'");
        cases.put(List.of("grant", "k1", "--app", "apptest", "--ip", "*,10.0.0.1"), "'*' alone");
        cases.put(List.of("revoke", " "), "is not an AuthID");
        cases.forEach((args, message) -> {
            CliRun run = key(args.toArray(String[]::new));
            assertEquals(2, run.exit(), run::toString);
            assertEquals("", run.out(), run::toString);
            assertTrue(run.err().contains(message), message + " expected in\n" + run);
            assertTrue(run.err().contains("Try 'elves key " + args.get(0) + " --help'"), run::toString);
        });
        assertEquals(before, api.requests().size(), "nothing was sent");
    }
}

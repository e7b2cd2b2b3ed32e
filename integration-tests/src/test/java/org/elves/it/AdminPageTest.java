package org.elves.it;

import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin page at {@code /admin/} in a real headless Chromium against the whole center: an app
 * and a key made through the admin API show on the page, signed in the browser (HMAC-SHA256 via
 * WebCrypto) with the admin key given in the URL fragment, and no error banner. Writes a
 * screenshot to target/admin-page.png. Needs {@code chromium} (scripts/setup-debian.sh installs it).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdminPageTest {
    private static final String APP = "pageapp";
    private static final String KEY_NAME = "page-key";
    /** Where the key acted on goes in key/grant, revoke and rotate (auth_id is the caller's own). */
    private static final String KEY_ID = "key_id";
    private static final long BROWSER_SECONDS = 60;
    private static LocalCluster cluster;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().components(List.of(Component.values())).start();
        api = Api.of(cluster);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theAdminPageShowsAppsAndKeysSignedInTheBrowser() throws Exception {
        Path chromium = onPath("chromium", "chromium-browser")
                .orElseThrow(() -> new AssertionError("chromium is not installed: run scripts/setup-debian.sh"));
        ok("/api/v2/admin/app/create", Map.of("app", APP, "name", "Page app"));
        ApiResponse key = ok("/api/v2/admin/key/create", Map.of("name", KEY_NAME, "strong_only", "false", "admin", "false"));
        String keyId = key.resultText("auth_id");
        ok("/api/v2/admin/key/grant", Map.of(KEY_ID, keyId, "app", APP, "agents", "127.0.0.71"));

        String url = cluster.apiUrl() + "/admin/#auth_id=" + URLEncoder.encode(cluster.authId(), StandardCharsets.UTF_8)
                + "&key=" + URLEncoder.encode(cluster.authKey(), StandardCharsets.UTF_8);
        Path screenshot = Path.of("target", "admin-page.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);

        Browser shot = browse(chromium, "--screenshot=" + screenshot, url);
        assertEquals(0, shot.exit(), shot::toString);
        assertTrue(Files.size(screenshot) > 0, "no screenshot written: " + shot);

        Browser dump = browse(chromium, "--dump-dom", url);
        assertEquals(0, dump.exit(), dump::toString);
        String dom = dump.stdout();
        assertTrue(dom.contains("data-loaded=\"true\""), "the page did not finish loading:\n" + dom);
        assertFalse(dom.contains("error-banner"), "the page shows an error:\n" + dom);
        assertTrue(dom.contains(APP), APP + " not on the page:\n" + dom);
        assertTrue(dom.contains(KEY_NAME), KEY_NAME + " not on the page:\n" + dom);
        assertTrue(dom.contains(keyId) && dom.contains("127.0.0.71"), "the key's grant not on the page:\n" + dom);
        assertFalse(dom.contains(cluster.authKey()), "the secret must not end up in the page");
        System.out.println("admin page screenshot: " + screenshot);
    }

    private static ApiResponse ok(String path, Map<String, String> params) {
        ApiResponse r = api.call(path, params);
        assertTrue(r.ok(), path + ": " + (r.answered() ? r.error() : r.noAnswerReason()));
        return r;
    }

    private record Browser(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "chromium exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** One headless Chromium run with its own profile; bounded, output captured. */
    private static Browser browse(Path chromium, String action, String url) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--window-size=1280,900", "--virtual-time-budget=8000",
                "--user-data-dir=" + profile, "--no-first-run", action, url));
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(BROWSER_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("chromium did not finish within " + BROWSER_SECONDS + " s: "
                        + Files.readString(err));
            }
            return new Browser(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }

    private static Optional<Path> onPath(String... programs) {
        String path = System.getenv("PATH");
        for (String program : programs) {
            for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}

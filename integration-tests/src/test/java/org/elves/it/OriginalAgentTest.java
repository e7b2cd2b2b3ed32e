package org.elves.it;

import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.protocol.Json;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, item 3: an original agent under this center (through the real Heartbeat and
 * Supervisor). Its heartbeat answers keep the app it installed by hand, bring the app deployed
 * to it (fetched at {appsdownloadaddr}/{app}_{version}.zip, the bytes uploaded) and drop the app
 * revoked from it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OriginalAgentTest {
    private static final String IP = "127.0.0.91";
    private static LocalCluster cluster;
    private static Api admin;
    private static String appsDownloadAddr;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().components(List.of(Component.values())).start();
        admin = Api.of(cluster);
        // what an operator puts in the original agent's cfg.json: the package base, with its '/'
        appsDownloadAddr = cluster.apiUrl() + "/packages/";
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void admin(String endpoint, Map<String, String> params) {
        ApiResponse r = admin.call("/api/v2/admin/" + endpoint, params);
        assertTrue(r.ok(), endpoint + ": " + r.error());
    }

    private static byte[] publish(String app, String version, String agents) throws Exception {
        byte[] zip = SupervisorTest.appZip(app + " " + version);
        admin("app/create", Map.of("app", app, "name", app));
        ApiResponse up = Api.upload(cluster, app, version, zip);
        assertTrue(up.ok(), up.error());
        admin("app/online", Map.of("app", app, "version", version));
        admin("app/deploy", Map.of("app", app, "agents", agents));
        return zip;
    }

    /** Beats (as the original does, every interval) until the agent's apps satisfy {@code done}. */
    private static void awaitApps(ReferenceAgent agent, Predicate<Map<String, String>> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.test(agent.apps())) {
            assertTrue(System.nanoTime() < deadline, "apps not as awaited within 30 s: " + agent.apps()
                    + ", failed downloads " + agent.failedDownloads());
            Thread.sleep(300);
            agent.beat();
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void keepsItsHandInstalledAppGetsTheDeployedOneAndLosesTheRevokedOne() throws Exception {
        ReferenceAgent agent = new ReferenceAgent(IP, cluster.heartbeatPort(), appsDownloadAddr, Map.of("handmade", "0.9"));
        agent.beat();
        assertEquals(Map.of("handmade", "0.9"), agent.apps(), "nothing deployed yet: the hand-installed app stays");

        byte[] kept = publish("origapp", "1.0", IP);
        byte[] revoked = publish("origgone", "2.1", IP);
        awaitApps(agent, apps -> apps.size() == 3);
        assertEquals(Map.of("handmade", "0.9", "origapp", "1.0", "origgone", "2.1"), agent.apps());
        assertEquals(List.of(), agent.failedDownloads());
        assertEquals(sha256(kept), sha256(agent.installedPackage("origapp")));
        assertArrayEquals(revoked, agent.installedPackage("origgone"));

        admin("app/deploy", Map.of("app", "origgone", "agents", "127.0.0.92"));
        awaitApps(agent, apps -> !apps.containsKey("origgone"));
        assertEquals(Map.of("handmade", "0.9", "origapp", "1.0"), agent.apps());
    }

    @Test
    void anUnknownPackageIsA404WithTheEnvelope() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(appsDownloadAddr + "nosuch_1.0.zip")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, response.statusCode());
        Map<String, Object> body = Json.object(response.body());
        assertEquals("false", body.get("flag"));
        assertTrue(String.valueOf(body.get("error")).startsWith("[404.1]"), response.body());
    }
}

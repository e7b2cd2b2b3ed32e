package org.elves.agent.appsync;

import org.elves.agent.AgentClient;
import org.elves.agent.AgentFleet;
import org.elves.agent.ElvesAgent;
import org.elves.agent.LightJson;
import org.elves.agent.OpenResources;
import org.elves.agent.TestApps;
import org.elves.agent.ThriftTestServer;
import org.elves.agent.config.AgentSettings;
import org.elves.protocol.thrift.AgentInfo;
import org.elves.protocol.thrift.HeartbeatService;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.elves.agent.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * App distribution end to end: a real agent, a real HeartbeatService answering with
 * {@code "packages"}, a real HTTP server holding the packages, and the worker run through the
 * agent's Thrift API to show which version runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AppDistributionTest {
    private static final String HOST = "127.0.0.41";
    private static final String APP = "apptest";

    @TempDir
    Path apps;
    @TempDir
    Path state;

    private final OpenResources open = new OpenResources();
    private final AtomicReference<String> answer = new AtomicReference<>("{\"data\":{}}");
    private final AtomicReference<AgentInfo> lastInfo = new AtomicReference<>();
    private final AtomicInteger beats = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private PackageServer packages;
    private ThriftTestServer heartbeat;

    @BeforeEach
    void servers() throws Exception {
        packages = new PackageServer();
        open.add(packages);
        HeartbeatService.Iface center = info -> {
            lastInfo.set(info);
            beats.incrementAndGet();
            return answer.get();
        };
        heartbeat = ThriftTestServer.start(new HeartbeatService.Processor<>(center));
        open.add(heartbeat);
    }

    @AfterEach
    void stop() throws Exception {
        open.close();
    }

    private AgentSettings.Builder settings() {
        return AgentSettings.builder().appsDir(apps).stateDir(state).bind(HOST).port(0)
                .heartbeat(heartbeat.endpoint()).heartbeatIntervalSeconds(1).heartbeatTimeoutSeconds(2);
    }

    private ElvesAgent start(AgentSettings.Builder b) throws Exception {
        return open.add(ElvesAgent.start(b.build()));
    }

    private ElvesAgent start() throws Exception {
        return start(settings());
    }

    /** One package entry as the center writes it. */
    private static Map<String, Object> pkg(String version, String url, String sha256, long size) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("url", url);
        m.put("sha256", sha256);
        m.put("size", size);
        return m;
    }

    /** Serves the bytes and returns their entry. */
    private Map<String, Object> serve(String app, String version, byte[] zip) throws Exception {
        return pkg(version, packages.put(app, version, zip), PackageServer.sha256(zip), zip.length);
    }

    /** Makes the heartbeat answer {"data":{app:version},"packages":{app:entry}}. */
    private void answer(Map<String, Map<String, Object>> entries) {
        Map<String, Object> data = new LinkedHashMap<>();
        entries.forEach((app, e) -> data.put(app, e.get("version")));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("data", data);
        root.put("packages", entries);
        answer.set(LightJson.writeValue(root));
    }

    private void answer(String app, Map<String, Object> entry) {
        answer(Map.of(app, entry));
    }

    private Reinstruct call(ElvesAgent agent, String app) throws Exception {
        try (AgentClient c = AgentClient.connect(HOST, agent.port())) {
            return c.api.instructionInvokeSync(AgentClient.instruct("T" + ids.incrementAndGet(), app, "version", ""));
        }
    }

    private String runs(ElvesAgent agent, String app) throws Exception {
        return call(agent, app).getResult();
    }

    /** The app's entry of the appStatus JSON, null when absent. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(String json, String app) {
        try {
            return (Map<String, Object>) ((Map<String, Object>) LightJson.parse(json)).get(app);
        } catch (java.io.IOException e) {
            throw new AssertionError("appStatus is not JSON: " + json, e);
        }
    }

    private static boolean is(ElvesAgent agent, String app, String state, String version) {
        Map<String, Object> s = status(agent.appStatus(), app);
        return s != null && state.equals(s.get("state")) && version.equals(s.get("version"));
    }

    private void awaitInstalled(ElvesAgent agent, String version) throws Exception {
        await(APP + " " + version + " installed", () -> is(agent, APP, "installed", version));
    }

    /** Waits for a beat that reports this and returns its info. */
    private AgentInfo awaitReported(String what, java.util.function.Predicate<AgentInfo> condition)
            throws InterruptedException {
        await("a beat reporting " + what, () -> lastInfo.get() != null && condition.test(lastInfo.get()));
        return lastInfo.get();
    }

    private int beatsFrom(int n) throws InterruptedException {
        int seen = beats.get();
        await(n + " more beats", () -> beats.get() >= seen + n);
        return beats.get();
    }

    private Path retired() {
        return apps.resolve(AppDistributor.RETIRED);
    }

    private static long count(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void installsANewAppAndReportsIt() throws Exception {
        ElvesAgent agent = start();
        assertEquals("app [" + APP + "] not install !", runs(agent, APP));
        answer(APP, serve(APP, "1.2", PackageServer.worker("", "v1.2")));

        awaitInstalled(agent, "1.2");
        assertEquals("v1.2", runs(agent, APP));
        AgentInfo info = awaitReported("the app", i -> i.getApps().contains("\"" + APP + "\":\"1.2\""));
        assertEquals(Map.of("version", "1.2", "state", "installed"), status(info.getAppStatus(), APP));
        assertTrue(Files.isRegularFile(apps.resolve(APP).resolve("lib/readme.txt")), "the package's subdirectory");
        assertEquals(0, count(apps.resolve(AppDistributor.STAGING)), "nothing left staged");
        assertEquals(0, count(state.resolve(AppDistributor.DOWNLOADS)), "nothing left downloaded");
        String kept = Files.readString(state.resolve(AppDistributor.STATE_FILE));
        assertTrue(kept.contains("\"" + APP + "\":{\"version\":\"1.2\""), kept);
        assertEquals(1, packages.requests(APP, "1.2"), "downloaded once, not at every beat");
        beatsFrom(2);
        assertEquals(1, packages.requests(APP, "1.2"), "downloaded once, not at every beat");
    }

    @Test
    void aBinaryEntryFromAZipWithoutModesIsMadeExecutable() throws Exception {
        ElvesAgent agent = start();
        byte[] zip = PackageServer.zip(Map.of("app-worker",
                "#!/bin/sh\nprintf '%s' '<ElvesWFlag>true</ElvesWFlag> <ElvesWResult>binary 3</ElvesWResult>'\n"));
        answer(APP, serve(APP, "3", zip));
        awaitInstalled(agent, "3");
        assertEquals("binary 3", runs(agent, APP));
    }

    @Test
    void theAgentsOfAFleetShareOneInstallOfTheirAppsDir() throws Exception {
        AgentFleet fleet = AgentFleet.start(settings().build(), List.of("127.0.0.42", "127.0.0.43", "127.0.0.44"));
        open.add(fleet);
        answer(APP, serve(APP, "1.0", PackageServer.worker("", "v1.0")));
        for (ElvesAgent a : fleet.agents()) {
            awaitInstalled(a, "1.0");
            try (AgentClient c = AgentClient.connect(a.ip(), a.port())) {
                assertEquals("v1.0", c.api.instructionInvokeSync(AgentClient.instruct("F" + a.ip(), APP, "v", ""))
                        .getResult());
            }
        }
        beatsFrom(6);
        assertEquals(1, packages.requests(APP, "1.0"), "one download for the whole fleet");
    }

    @Test
    void updatesToANewVersionAndRollsBack() throws Exception {
        ElvesAgent agent = start();
        Map<String, Object> v1 = serve(APP, "1.0", PackageServer.worker("", "v1.0"));
        Map<String, Object> v2 = serve(APP, "2.0", PackageServer.worker("", "v2.0"));
        answer(APP, v1);
        awaitInstalled(agent, "1.0");
        assertEquals("v1.0", runs(agent, APP));

        answer(APP, v2);
        awaitInstalled(agent, "2.0");
        assertEquals("v2.0", runs(agent, APP));
        awaitReported("2.0", i -> i.getApps().contains("\"" + APP + "\":\"2.0\""));

        answer(APP, v1);
        awaitInstalled(agent, "1.0");
        assertEquals("v1.0", runs(agent, APP));
        awaitReported("1.0 again", i -> i.getApps().contains("\"" + APP + "\":\"1.0\""));
        assertEquals(2, packages.requests(APP, "1.0"), "the roll-back downloads 1.0 again");
        await("old versions deleted", () -> {
            try {
                return count(retired()) == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aWrongChecksumIsRefusedAndTheOldVersionKeepsRunning() throws Exception {
        ElvesAgent agent = start();
        answer(APP, serve(APP, "1.0", PackageServer.worker("", "v1.0")));
        awaitInstalled(agent, "1.0");

        byte[] v2 = PackageServer.worker("", "v2.0");
        String wrong = PackageServer.sha256("something else".getBytes());
        answer(APP, pkg("2.0", packages.put(APP, "2.0", v2), wrong, v2.length));
        await("2.0 failed", () -> is(agent, APP, "failed", "2.0"));
        String error = (String) status(agent.appStatus(), APP).get("error");
        assertTrue(error.contains("checksum mismatch") && error.contains(wrong), error);
        assertEquals("v1.0", runs(agent, APP));
        AgentInfo info = awaitReported("the failure", i -> i.getAppStatus() != null
                && "failed".equals(String.valueOf(status(i.getAppStatus(), APP).get("state"))));
        assertTrue(info.getApps().contains("\"" + APP + "\":\"1.0\""), info.getApps());
        assertEquals(error, status(info.getAppStatus(), APP).get("error"));

        // the same broken package is not fetched at every beat (next try after 60 s)
        beatsFrom(3);
        assertEquals(1, packages.requests(APP, "2.0"));

        // a corrected answer (another checksum) is tried at once
        answer(APP, pkg("2.0", packages.url("/packages/" + APP + "/2.0"), PackageServer.sha256(v2), v2.length));
        awaitInstalled(agent, "2.0");
        assertEquals("v2.0", runs(agent, APP));
    }

    @Test
    void httpErrorsSizeAndCorruptZipsFailWithoutTouchingTheInstalledVersion() throws Exception {
        ElvesAgent agent = start(settings().maxPackageBytes(4096));
        answer(APP, serve(APP, "1.0", PackageServer.worker("", "v1.0")));
        awaitInstalled(agent, "1.0");

        packages.status(APP, "2.0", 503);
        answer(APP, pkg("2.0", packages.url("/packages/" + APP + "/2.0"), PackageServer.sha256(new byte[1]), 1));
        await("HTTP 503 failed", () -> is(agent, APP, "failed", "2.0"));
        assertTrue(status(agent.appStatus(), APP).get("error").toString().contains("HTTP 503"));
        assertEquals("v1.0", runs(agent, APP));

        byte[] corrupt = "PK\u0003\u0004 this is not really a zip file at all".getBytes();
        answer(APP, serve(APP, "3.0", corrupt));
        await("corrupt zip failed", () -> is(agent, APP, "failed", "3.0"));
        assertTrue(status(agent.appStatus(), APP).get("error").toString().startsWith("bad package"),
                agent.appStatus());
        assertEquals("v1.0", runs(agent, APP));

        byte[] big = new byte[8192];
        new java.util.Random(1).nextBytes(big);
        answer(APP, serve(APP, "4.0", big));
        await("too big failed", () -> is(agent, APP, "failed", "4.0"));
        assertTrue(status(agent.appStatus(), APP).get("error").toString().contains("apps.maxpackagebytes"),
                agent.appStatus());
        assertEquals(0, packages.requests(APP, "4.0"), "an announced size above the cap is not even fetched");

        // the server sends more than the entry announces
        byte[] v5 = PackageServer.worker("", "v5.0");
        answer(APP, pkg("5.0", packages.put(APP, "5.0", v5), PackageServer.sha256(v5), v5.length - 10));
        await("longer than announced failed", () -> is(agent, APP, "failed", "5.0"));
        assertTrue(status(agent.appStatus(), APP).get("error").toString().contains("announced size"),
                agent.appStatus());

        assertEquals("v1.0", runs(agent, APP));
        assertEquals(0, count(apps.resolve(AppDistributor.STAGING)));
        assertEquals(0, count(state.resolve(AppDistributor.DOWNLOADS)));
    }

    @Test
    void zipEntriesEscapingTheAppDirectoryAreRefused() throws Exception {
        ElvesAgent agent = start();
        answer(APP, serve(APP, "1.0", PackageServer.worker("", "v1.0")));
        awaitInstalled(agent, "1.0");

        Map<String, String> slip = new LinkedHashMap<>();
        slip.put("app-worker.sh", "echo pwned\n");
        slip.put("../evil.sh", "echo pwned\n");
        answer(APP, serve(APP, "2.0", PackageServer.zip(slip)));
        await("zip-slip refused", () -> is(agent, APP, "failed", "2.0"));
        assertTrue(status(agent.appStatus(), APP).get("error").toString().contains("[../evil.sh]"), agent.appStatus());
        assertFalse(Files.exists(apps.resolve("evil.sh")));
        assertFalse(Files.exists(apps.resolve(AppDistributor.STAGING).resolve("evil.sh")));

        Map<String, String> absolute = new LinkedHashMap<>();
        absolute.put("app-worker.sh", "echo pwned\n");
        absolute.put(state.resolve("evil.sh").toString(), "echo pwned\n");
        answer(APP, serve(APP, "3.0", PackageServer.zip(absolute)));
        await("absolute path refused", () -> is(agent, APP, "failed", "3.0"));
        assertFalse(Files.exists(state.resolve("evil.sh")));

        Map<String, String> link = new LinkedHashMap<>();
        link.put("app-worker.sh", "echo pwned\n");
        link.put("passwd", "/etc/passwd");
        answer(APP, serve(APP, "4.0", PackageServer.withUnixMode(PackageServer.zip(link), "passwd", 0120777)));
        await("symlink refused", () -> is(agent, APP, "failed", "4.0"));
        assertTrue(status(agent.appStatus(), APP).get("error").toString().contains("symbolic link"), agent.appStatus());

        assertEquals("v1.0", runs(agent, APP));
        assertEquals(0, count(apps.resolve(AppDistributor.STAGING)));
    }

    @Test
    void aRevokedAppIsRemovedWhileAHandInstalledAppStays() throws Exception {
        TestApps.shell(apps, "handapp", TestApps.tags("true", "by hand"));
        ElvesAgent agent = start();
        Map<String, Object> v1 = serve(APP, "1.0", PackageServer.worker("", "v1.0"));
        Map<String, Object> other = serve("other", "7", PackageServer.worker("", "other 7"));
        Map<String, Map<String, Object>> both = new LinkedHashMap<>();
        both.put(APP, v1);
        both.put("other", other);
        answer(both);
        awaitInstalled(agent, "1.0");
        await("other installed", () -> is(agent, "other", "installed", "7"));

        answer(Map.of("other", other));
        await(APP + " removed", () -> status(agent.appStatus(), APP) == null && !Files.exists(apps.resolve(APP)));
        assertEquals("app [" + APP + "] not install !", runs(agent, APP));
        assertEquals("by hand", runs(agent, "handapp"));
        assertEquals("other 7", runs(agent, "other"));
        AgentInfo info = awaitReported("no " + APP, i -> !i.getApps().contains(APP));
        assertTrue(info.getApps().contains("\"handapp\":\"0\""), info.getApps());
        await("its files deleted", () -> {
            try {
                return count(retired()) == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(Files.readString(state.resolve(AppDistributor.STATE_FILE)).contains(APP));

        // an empty "packages" revokes every distributed app, never the hand-installed one
        answer(Map.of());
        await("other removed", () -> !Files.exists(apps.resolve("other")));
        beatsFrom(2);
        assertEquals("by hand", runs(agent, "handapp"));
        assertEquals("{}", agent.appStatus());
    }

    @Test
    void anAnswerWithoutPackagesChangesNothing() throws Exception {
        TestApps.shell(apps, "handapp", TestApps.tags("true", "by hand"));
        ElvesAgent agent = start();
        answer(APP, serve(APP, "1.0", PackageServer.worker("", "v1.0")));
        awaitInstalled(agent, "1.0");

        answer.set("{\"data\":{}}");
        beatsFrom(3);
        answer.set("{\"data\":{\"" + APP + "\":\"9.9\"}}");
        beatsFrom(3);
        assertEquals("v1.0", runs(agent, APP));
        assertEquals("by hand", runs(agent, "handapp"));
        assertTrue(is(agent, APP, "installed", "1.0"), agent.appStatus());
        AgentInfo info = awaitReported("both apps", i -> i.getApps().contains("handapp"));
        assertTrue(info.getApps().contains("\"" + APP + "\":\"1.0\""), info.getApps());
        assertEquals(1, packages.requests(APP, "1.0"));
    }

    @Test
    void aTaskRunningDuringAnUpdateFinishesOnItsOldVersion() throws Exception {
        ElvesAgent agent = start();
        Path started = state.resolve("slow-started");
        String slow = "touch '" + started + "'\nsleep 2\n";
        answer(APP, serve(APP, "1.0", PackageServer.worker(slow, "v1.0")));
        awaitInstalled(agent, "1.0");

        CompletableFuture<Reinstruct> running = CompletableFuture.supplyAsync(() -> {
            try {
                return call(agent, APP);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await("the slow task started", () -> Files.exists(started));
        answer(APP, serve(APP, "2.0", PackageServer.worker("", "v2.0")));
        awaitInstalled(agent, "2.0");
        assertEquals("v2.0", runs(agent, APP));

        Reinstruct old = running.get(20, TimeUnit.SECONDS);
        assertEquals(1, old.getFlag(), old.getResult());
        assertEquals("v1.0", old.getResult());
        await("the old version deleted once its task ended", () -> {
            try {
                return count(retired()) == 0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("v2.0", runs(agent, APP));
    }

    @Test
    void aDownloadCutByARestartIsDoneAgainByTheNextAgent() throws Exception {
        ElvesAgent first = start();
        answer(APP, serve(APP, "1.0", PackageServer.worker("", "v1.0")));
        awaitInstalled(first, "1.0");

        Map<String, Object> v2 = serve(APP, "2.0", PackageServer.worker("", "v2.0"));
        packages.stallOnce(APP, "2.0");
        answer(APP, v2);
        assertTrue(packages.halfSent.await(20, TimeUnit.SECONDS), "the download started");
        assertTrue(is(first, APP, "downloading", "2.0"), first.appStatus());
        first.close();
        assertEquals("v1.0", Files.readString(apps.resolve(APP).resolve("lib/readme.txt")).replace("version ", "")
                .strip(), "the installed version is untouched");
        // what a killed agent could leave: a partial download and a half-unpacked directory
        Files.createDirectories(state.resolve(AppDistributor.DOWNLOADS));
        Files.write(state.resolve(AppDistributor.DOWNLOADS).resolve(APP + "@1.part"), new byte[100]);
        Files.createDirectories(apps.resolve(AppDistributor.STAGING).resolve(APP + "@2"));

        ElvesAgent second = start();
        assertEquals(0, count(state.resolve(AppDistributor.DOWNLOADS)), "leftover .part deleted at start");
        assertEquals(0, count(apps.resolve(AppDistributor.STAGING)), "leftover staging deleted at start");
        assertTrue(is(second, APP, "installed", "1.0") || is(second, APP, "downloading", "2.0"), second.appStatus());
        awaitInstalled(second, "2.0");
        assertEquals("v2.0", runs(second, APP));
        assertEquals(2, packages.requests(APP, "2.0"));
        assertNotNull(second.appStatus());
    }
}

package org.elves.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.protocol.ErrorCode;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6: the admin (the standalone pair) publishes an app once; agents it is deployed to
 * download, verify and install it, roll out and back; a corrupted package is refused and the old
 * version keeps running; keys made in the Supervisor run only their grants, and stop working when
 * rotated or revoked. The whole center in one JVM, real agents on 127.0.0.81-83.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SupervisorTest {
    private static final List<String> MACHINES = List.of("127.0.0.81", "127.0.0.82", "127.0.0.83");
    private static final String APP = "distapp";
    private static LocalCluster cluster;
    private static Api admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.builder().components(List.of(Component.values())).agentHeartbeatSeconds(1).start();
        // the first two share an apps folder (an emulated fleet gets one answer per folder); the
        // third, which the app is not deployed to, is a machine of its own
        cluster.startAgents(MACHINES.subList(0, 2), b -> b);
        java.nio.file.Path own = java.nio.file.Files.createTempDirectory("elves-agent-83").resolve("apps");
        java.nio.file.Files.createDirectories(own);
        cluster.startAgent(MACHINES.get(2), 0, b -> b.appsDir(own));
        cluster.awaitOnline(MACHINES, Duration.ofSeconds(15));
        admin = Api.of(cluster);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** An app whose worker answers its version. */
    static byte[] appZip(String version) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("app-worker.sh"));
            zip.write(("#!/bin/sh\necho '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>" + version + "</ElvesWResult>'\n").getBytes());
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static ApiResponse adminCall(String endpoint, String... kv) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            params.put(kv[i], kv[i + 1]);
        }
        ApiResponse r = admin.call("/api/v2/admin/" + endpoint, params);
        assertTrue(r.ok(), endpoint + ": " + r.error());
        return r;
    }

    /** Polls a realtime call of the app on one agent until its answer satisfies {@code done}. */
    private static ApiResponse awaitRun(Api api, String ip, Predicate<ApiResponse> done) throws InterruptedException {
        return awaitCall(api, ip, APP, "version", done);
    }

    private static ApiResponse awaitCall(Api api, String ip, String app, String func, Predicate<ApiResponse> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ApiResponse last = null;
        while (System.nanoTime() < deadline) {
            last = api.rt(ip, app, func, null, 10);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(ip + ": not as awaited within 30 s: " + (last == null ? null : last.result() + " " + last.error()));
    }

    private static Predicate<ApiResponse> answers(String version) {
        return r -> r.ok() && version.equals(r.resultText("worker_message"));
    }

    @Test
    void anAppIsRolledOutToItsAgentsRolledBackAndACorruptPackageNeverRuns() throws Exception {
        adminCall("app/create", "app", APP, "name", "Distributed app");
        for (String version : List.of("1.0", "2.0")) {
            ApiResponse up = Api.upload(cluster, APP, version, appZip(version));
            assertTrue(up.ok(), up.error());
        }
        adminCall("app/online", "app", APP, "version", "1.0");
        adminCall("app/deploy", "app", APP, "agents", MACHINES.get(0) + "," + MACHINES.get(1));
        awaitRun(admin, MACHINES.get(0), answers("1.0"));
        awaitRun(admin, MACHINES.get(1), answers("1.0"));
        assertEquals(ErrorCode.APP_NOT_FOUND, admin.rt(MACHINES.get(2), APP, "version", null, 10).errorCode(),
                "not deployed to the third agent");

        adminCall("app/online", "app", APP, "version", "2.0");
        awaitRun(admin, MACHINES.get(0), answers("2.0"));
        adminCall("app/online", "app", APP, "version", "1.0");
        awaitRun(admin, MACHINES.get(0), answers("1.0"));
        awaitRun(admin, MACHINES.get(1), answers("1.0"));

        // 3.0 is uploaded fine, then its stored bytes rot: agents must refuse it and keep 1.0
        assertTrue(Api.upload(cluster, APP, "3.0", appZip("3.0")).ok());
        try (com.mongodb.client.MongoClient mongo = com.mongodb.client.MongoClients.create(cluster.mongoUri())) {
            var chunks = mongo.getDatabase(cluster.config().get("elves.mongo.database", "elves")).getCollection("app_packages");
            var id = com.mongodb.client.model.Filters.eq("_id", APP + "/3.0/0");
            byte[] bytes = chunks.find(id).first().get("data", org.bson.types.Binary.class).getData();
            bytes[bytes.length / 2] ^= 0x5A;   // same size, different content
            chunks.updateOne(id, com.mongodb.client.model.Updates.set("data", new org.bson.types.Binary(bytes)));
        }
        adminCall("app/online", "app", APP, "version", "3.0");
        JsonNode status = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            status = adminCall("app/status", "app", APP).result();
            if (status.toString().contains("checksum")) {
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(status.toString().contains("failed") && status.toString().contains("checksum"),
                "the agents report the refused package: " + status);
        assertEquals("1.0", admin.rt(MACHINES.get(0), APP, "version", null, 10).resultText("worker_message"),
                "the old version still runs");
        System.out.println("app status after a corrupted package: " + status);
        adminCall("app/online", "app", APP, "version", "2.0");
        awaitRun(admin, MACHINES.get(0), answers("2.0"));
    }

    @Test
    void aKeyRunsOnlyItsGrantsAndStopsWhenRotatedOrRevoked() throws Exception {
        adminCall("app/create", "app", "grantapp", "name", "granted");
        // as the operator does it: ./elves key create --app apptest --ip <agent> --json
        // (apptest is installed by hand on the agents: a grant needs no Supervisor app)
        JsonNode created;
        try (JavaProcess cli = JavaProcess.start("cli", Map.of(
                        "ELVES_API", cluster.apiUrl(), "ELVES_AUTH_ID", cluster.authId(), "ELVES_AUTH_KEY", cluster.authKey(),
                        "ELVES_HOME", java.nio.file.Files.createTempDirectory("cli-home").toString()),
                "org.elves.cli.ElvesCli", List.of("key", "create", "--name", "team-a", "--app", "apptest",
                        "--ip", MACHINES.get(0), "--json"))) {
            assertEquals(0, cli.awaitExit(Duration.ofSeconds(60)), cli.output());
            String out = cli.output();
            created = org.elves.protocol.Json.MAPPER.readTree(out.substring(out.indexOf('{')));
        }
        String id = created.get("auth_id").asText();
        String secret = created.get("key").asText();
        Api team = Api.as(cluster, id, secret, Clock.systemUTC());
        // OpenAPI learns of the new key, then of its grant (the CLI makes them in two calls), within its poll period
        awaitCall(team, MACHINES.get(0), "apptest", "helloword",
                r -> r.errorCode() != ErrorCode.AUTH_ID_NOT_FOUND && r.errorCode() != ErrorCode.PERMISSION_DENIED);

        ApiResponse mine = team.rt(MACHINES.get(0), "apptest", "helloword", "{\"my\":\"team\"}", 10);
        assertTrue(mine.ok(), mine.error());
        assertEquals(ErrorCode.PERMISSION_DENIED, team.rt(MACHINES.get(1), "apptest", "helloword", null, 10).errorCode());
        assertEquals(ErrorCode.PERMISSION_DENIED, team.rt(MACHINES.get(0), "grantapp", "x", null, 10).errorCode());
        assertEquals(ErrorCode.PERMISSION_DENIED, team.call("/api/v2/admin/key/list", Map.of()).errorCode());

        // a queue belongs to the key that made it (an admin key may act on any)
        String adminQueue = admin.call("/api/v2/queue/create", Map.of("app", "apptest")).resultText("id");
        assertEquals(ErrorCode.PERMISSION_DENIED, team.call("/api/v2/queue/result", Map.of("queue_id", adminQueue)).errorCode());
        String teamQueue = team.call("/api/v2/queue/create", Map.of("app", "apptest")).resultText("id");
        assertTrue(team.call("/api/v2/queue/result", Map.of("queue_id", teamQueue)).ok());
        assertTrue(admin.call("/api/v2/queue/result", Map.of("queue_id", teamQueue)).ok());

        ApiResponse rotated = adminCall("key/rotate", "key_id", id);
        Api renewed = Api.as(cluster, id, rotated.resultText("key"), Clock.systemUTC());
        awaitCall(renewed, MACHINES.get(0), "apptest", "helloword", ApiResponse::ok);
        assertEquals(ErrorCode.SIGN_ERROR, team.rt(MACHINES.get(0), "apptest", "helloword", null, 10).errorCode(),
                "the old secret no longer signs");

        adminCall("key/revoke", "key_id", id);
        awaitCall(renewed, MACHINES.get(0), "apptest", "helloword", r -> r.errorCode() == ErrorCode.AUTH_ID_NOT_FOUND);
        JsonNode audit = adminCall("audit").result();
        assertTrue(audit.toString().contains("key.rotate") && audit.toString().contains("key.delete"), audit.toString());
    }
}

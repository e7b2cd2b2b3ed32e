package org.elves.center.supervisor;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Supervisor's rules on a real (in-memory) MongoDB server through the real driver. */
class SupervisorRulesTest {
    private MongoServer server;
    private MongoClient client;
    private ElvesConfig config;
    private SupervisorBeans supervisor;
    private final AtomicLong now = new AtomicLong(1_767_225_600_000L);

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        config = Center.configFor(List.of(Component.SUPERVISOR)).overrides(Map.of(
                "elves.supervisor.package-url", "http://center:9091/packages/",
                "elves.supervisor.category.web", "10.0.0.5, 10.1.0.0/16")).build();
        supervisor = SupervisorBeans.start(new SupervisorStore(client, "elves"), config, now::get);
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
        config.close();
    }

    static byte[] zip(String worker) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("app-worker.sh"));
            zip.write(worker.getBytes());
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static Map<String, Object> body(Object... kv) {
        Map<String, Object> b = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            b.put((String) kv[i], kv[i + 1]);
        }
        b.putIfAbsent("actor", "admin");
        return b;
    }

    private Map<String, Object> upload(String app, String version, byte[] data, String sha256) {
        return supervisor.apps().appUpload(body("app", app, "version", version, "sha256", sha256,
                "data", Base64.getEncoder().encodeToString(data)));
    }

    private ErrorCode refusal(Runnable call) {
        return assertThrows(ElvesException.class, call::run).code();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAppVersionIsUploadedOnceDeployedAndRolledBack() throws Exception {
        supervisor.apps().appCreate(body("app", "apptest", "name", "Test app", "processor", "127.0.0.1:10010"));
        byte[] v1 = zip("echo 1");
        byte[] v2 = zip("echo 2");
        upload("apptest", "1.0", v1, AppCatalogue.sha256(v1));
        upload("apptest", "2.0", v2, AppCatalogue.sha256(v2));
        assertArrayEquals(v2, supervisor.apps().packageBytes("apptest", "2.0"));
        supervisor.apps().appOnline(body("app", "apptest", "version", "2.0"));
        supervisor.apps().appDeploy(body("app", "apptest", "agents", "127.0.0.2, 127.0.0.3,127.0.0.2"));

        Map<String, Object> table = (Map<String, Object>) supervisor.tables().deployTable(Map.of("version", "")).get("result");
        List<Map<String, Object>> apps = (List<Map<String, Object>>) table.get("apps");
        assertEquals(1, apps.size());
        assertEquals("2.0", apps.get(0).get("version"));
        assertEquals(AppCatalogue.sha256(v2), apps.get(0).get("sha256"));
        assertEquals("http://center:9091/packages/apptest/2.0", apps.get(0).get("url"));
        assertEquals(List.of("127.0.0.2", "127.0.0.3"), apps.get(0).get("agents"));
        assertEquals(List.of("apptest"), table.get("managed"), "an app with an online version is managed");
        Object version = table.get("version");
        assertEquals(false, ((Map<String, Object>) supervisor.tables().deployTable(Map.of("version", version)).get("result")).get("changed"));

        supervisor.apps().appOnline(body("app", "apptest", "version", "1.0"));
        Map<String, Object> back = (Map<String, Object>) supervisor.tables().deployTable(Map.of("version", version)).get("result");
        assertEquals("1.0", ((List<Map<String, Object>>) back.get("apps")).get(0).get("version"));
        List<Map<String, Object>> audit = (List<Map<String, Object>>) supervisor.audit().audit(body()).get("result");
        assertEquals(List.of("app.online", "app.deploy", "app.online", "app.upload", "app.upload", "app.create"),
                audit.stream().map(a -> a.get("action")).toList());
    }

    @Test
    void badUploadsAreRefusedAndChangeNothing() throws Exception {
        supervisor.apps().appCreate(body("app", "apptest"));
        byte[] good = zip("echo 1");
        assertEquals(ErrorCode.PARAM_PACKAGE, refusal(() -> upload("apptest", "1.0", good, "0".repeat(64))));
        assertEquals(ErrorCode.PARAM_PACKAGE, refusal(() -> upload("apptest", "1.0", "not a zip".getBytes(),
                AppCatalogue.sha256("not a zip".getBytes()))));
        assertEquals(ErrorCode.PARAM_VERSION, refusal(() -> upload("apptest", "1.0/../x", good, AppCatalogue.sha256(good))));
        assertEquals(ErrorCode.APP_NOT_FOUND, refusal(() -> upload("nosuch", "1.0", good, AppCatalogue.sha256(good))));
        assertEquals(ErrorCode.APP_VERSION_NOT_FOUND, refusal(() -> supervisor.apps().appOnline(body("app", "apptest", "version", "1.0"))));
        assertEquals(ErrorCode.PARAM_AGENTS, refusal(() -> supervisor.apps().appDeploy(body("app", "apptest", "agents", "127.0.0.300"))));
        assertEquals(ErrorCode.APP_EXISTS, refusal(() -> supervisor.apps().appCreate(body("app", "apptest"))));
        assertEquals(ErrorCode.PARAM_APP, refusal(() -> supervisor.apps().appCreate(body("app", "App_Test"))));
        assertEquals(null, supervisor.apps().packageBytes("apptest", "1.0"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void keysAreGrantedRevokedRotatedAndValidatedAsTheReferenceSays() {
        supervisor.apps().appCreate(body("app", "apptest"));
        supervisor.apps().appCreate(body("app", "other"));
        Map<String, Object> created = (Map<String, Object>) supervisor.keys().keyCreate(body("name", "team a")).get("result");
        String id = (String) created.get("auth_id");
        String secret = (String) created.get("key");
        assertEquals(32, secret.length());
        supervisor.keys().keyGrant(body("auth_id", id, "app", "apptest", "agents", "127.0.0.2"));

        assertEquals("true", supervisor.reference().validateAuth(Map.of("auth_id", id, "app", "apptest", "ip", "127.0.0.2")).get("result"));
        assertEquals("false", supervisor.reference().validateAuth(Map.of("auth_id", id, "app", "apptest", "ip", "127.0.0.3")).get("result"));
        assertEquals("false", supervisor.reference().validateAuth(Map.of("auth_id", id, "app", "other")).get("result"));
        assertEquals(ErrorCode.APP_NOT_FOUND, refusal(() -> supervisor.reference().validateAuth(Map.of("auth_id", id, "app", "nosuch"))));
        assertEquals(ErrorCode.AUTH_ID_NOT_FOUND, refusal(() -> supervisor.reference().validateAuth(Map.of("auth_id", "0000000000000000"))));
        assertEquals("apptest", ((Map<String, Object>) supervisor.reference().appInfo(Map.of("auth_id", id)).get("result")).get("app"));
        assertEquals(List.of("127.0.0.2"), supervisor.reference().agentList(Map.of("auth_id", id)).get("result"));
        assertEquals(secret, supervisor.reference().getAuthKey(Map.of("auth_id", id)).get("auth_key"));

        Map<String, Object> table = (Map<String, Object>) supervisor.tables().keyTable(Map.of("version", "")).get("result");
        Map<String, Object> key = ((List<Map<String, Object>>) table.get("keys")).get(0);
        assertEquals(secret, key.get("secret"));
        assertEquals(Map.of("apptest", List.of("127.0.0.2")), key.get("grants"));

        String rotated = (String) ((Map<String, Object>) supervisor.keys().keyRotate(body("auth_id", id)).get("result")).get("key");
        assertNotEquals(secret, rotated);
        assertEquals(rotated, supervisor.reference().getAuthKey(Map.of("auth_id", id)).get("auth_key"));
        supervisor.keys().keyRevoke(body("auth_id", id, "app", "apptest"));
        assertEquals("false", supervisor.reference().validateAuth(Map.of("auth_id", id, "app", "apptest")).get("result"));
        List<Map<String, Object>> listed = (List<Map<String, Object>>) supervisor.keys().keyList(body()).get("result");
        assertTrue(listed.get(0).get("secret") == null, "no secret in the list");
        supervisor.keys().keyRevoke(body("auth_id", id));
        assertEquals(ErrorCode.AUTH_ID_NOT_FOUND, refusal(() -> supervisor.reference().getAuthKey(Map.of("auth_id", id))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void deploymentsAndGrantsMayNameNetworksAndCategories() throws Exception {
        supervisor.apps().appCreate(body("app", "apptest"));
        byte[] v1 = zip("echo 1");
        upload("apptest", "1.0", v1, AppCatalogue.sha256(v1));
        supervisor.apps().appOnline(body("app", "apptest", "version", "1.0"));
        supervisor.apps().appDeploy(body("app", "apptest", "agents", "127.0.0.0/30,@web,@nosuch"));
        Map<String, Object> table = (Map<String, Object>) supervisor.tables().deployTable(Map.of("version", "")).get("result");
        org.elves.center.heartbeat.DeployTable heartbeat = new org.elves.center.heartbeat.DeployTable();
        heartbeat.answered(Map.of("flag", "true", "error", "", "result", table));
        assertTrue(heartbeat.packagesFor("127.0.0.2").containsKey("apptest"));
        assertTrue(heartbeat.packagesFor("10.0.0.5").containsKey("apptest"), "a member of category web");
        assertTrue(heartbeat.packagesFor("10.1.200.7").containsKey("apptest"), "in a network of category web");
        assertEquals(Map.of(), heartbeat.packagesFor("127.0.0.9"));
        assertEquals(ErrorCode.PARAM_AGENTS, refusal(() -> supervisor.apps().appDeploy(body("app", "apptest", "agents", "127.0.0.0/33"))));

        String id = (String) ((Map<String, Object>) supervisor.keys().keyCreate(body("name", "net")).get("result")).get("auth_id");
        supervisor.keys().keyGrant(body("auth_id", id, "app", "apptest", "agents", "@web"));
        assertEquals("true", supervisor.reference().validateAuth(Map.of("auth_id", id, "app", "apptest", "ip", "10.1.2.3")).get("result"));
        assertEquals("false", supervisor.reference().validateAuth(Map.of("auth_id", id, "app", "apptest", "ip", "10.2.2.3")).get("result"));
        Map<String, Object> keys = (Map<String, Object>) supervisor.tables().keyTable(Map.of("version", "")).get("result");
        org.elves.center.openapi.SupervisorKeys openapi = new org.elves.center.openapi.SupervisorKeys(config);
        openapi.answered(Map.of("flag", "true", "error", "", "result", keys));
        assertTrue(openapi.find(id).allows("apptest", "10.1.2.3"));
        assertTrue(!openapi.find(id).allows("apptest", "127.0.0.2"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConfiguredAdminPairReachesEveryOpenApiAndChangesOnlyInTheSettings() {
        ElvesConfig configured = Center.configFor(List.of(Component.OPENAPI)).overrides(Map.of("elves.openapi.auth.id", "standalone-admin", "elves.openapi.auth.key", "s3cret-one")).build();
        org.elves.center.openapi.AdminPairRegistration registration = new org.elves.center.openapi.AdminPairRegistration(configured);
        Map<String, Object> pair = registration.toRegister();
        registration.answered(supervisor.keys().configuredAdminPair(body("auth_id", pair.get("auth_id"), "key", pair.get("key"))));
        assertNull(registration.toRegister(), "registered once");

        // another OpenAPI instance, started without the pair, accepts it from the key table
        org.elves.center.openapi.SupervisorKeys other = new org.elves.center.openapi.SupervisorKeys(config);
        other.answered(Map.of("flag", "true", "error", "", "result", supervisor.tables().keyTable(Map.of("version", "")).get("result")));
        assertEquals("s3cret-one", other.find("standalone-admin").secret());
        assertTrue(other.find("standalone-admin").admin());

        // the key API leaves it alone; a new configured pair replaces it
        assertEquals(ErrorCode.AUTH_ID_NOT_FOUND, refusal(() -> supervisor.keys().keyRotate(body("auth_id", "standalone-admin"))));
        assertEquals(ErrorCode.AUTH_ID_NOT_FOUND, refusal(() -> supervisor.keys().keyRevoke(body("auth_id", "standalone-admin"))));
        supervisor.keys().configuredAdminPair(body("auth_id", "new-admin", "key", "s3cret-two"));
        List<Map<String, Object>> listed = (List<Map<String, Object>>) supervisor.keys().keyList(body()).get("result");
        assertEquals(List.of("new-admin"), listed.stream().filter(k -> Boolean.TRUE.equals(k.get("configured"))).map(k -> k.get("auth_id")).toList());

        // a key made through the API is never taken over
        Map<String, Object> made = (Map<String, Object>) supervisor.keys().keyCreate(body("name", "made")).get("result");
        assertEquals(ErrorCode.AUTH_ID_NOT_FOUND, refusal(() -> supervisor.keys().configuredAdminPair(body("auth_id", made.get("auth_id"), "key", "x"))));
        assertEquals(made.get("key"), supervisor.reference().getAuthKey(Map.of("auth_id", made.get("auth_id"))).get("auth_key"));
    }
}

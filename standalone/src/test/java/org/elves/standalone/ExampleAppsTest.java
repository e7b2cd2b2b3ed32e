package org.elves.standalone;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.elves.apps.AppInstaller;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.supervisor.AgentCategories;
import org.elves.center.supervisor.AppCatalogue;
import org.elves.center.supervisor.AuditLog;
import org.elves.center.supervisor.KeysAndGrants;
import org.elves.center.supervisor.PublishedTables;
import org.elves.center.supervisor.ReferenceFunctions;
import org.elves.center.supervisor.SupervisorStore;
import org.elves.config.ElvesConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The examples registered through a real Supervisor on an in-memory MongoDB server. */
class ExampleAppsTest {
    private MongoServer server;
    private MongoClient client;
    private ElvesConfig config;
    private AppCatalogue supervisor;
    private KeysAndGrants keys;
    private ReferenceFunctions reference;
    private AuditLog auditLog;
    /** The agent's apps: empty unless a test installs something by hand. */
    @TempDir
    Path appsDir;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        config = Center.configFor(List.of(Component.SUPERVISOR)).overrides(Map.of()).build();
        SupervisorStore store = new SupervisorStore(client, "elves");
        AgentCategories categories = new AgentCategories(config);
        auditLog = new AuditLog(store, System::currentTimeMillis);
        supervisor = new AppCatalogue(store, config, System::currentTimeMillis, categories, auditLog);
        keys = new KeysAndGrants(store, System::currentTimeMillis, auditLog);
        reference = new ReferenceFunctions(store, categories, new PublishedTables(store, config, categories));
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
        config.close();
    }

    @Test
    void aKeyGrantedAnExampleGetsTheReferencesAppObjectAndItsAgent() throws Exception {
        assertEquals(List.of("apptest 1.0.0", "shelltest 1.0.0"), ExampleApps.register(supervisor, "127.0.0.1", appsDir));
        String authId = String.valueOf(result(keys.keyCreate(Map.of("name", "team"))).get("auth_id"));
        keys.keyGrant(Map.of("auth_id", authId, "app", "apptest", "agents", "127.0.0.1"));

        Map<String, Object> app = result(reference.appInfo(Map.of("auth_id", authId)));
        assertEquals(List.of("app", "app_name", "app_ver", "last_update_time"), List.copyOf(app.keySet()));
        assertEquals("apptest", app.get("app"));
        assertEquals("1.0.0", app.get("app_ver"));
        assertEquals(List.of("127.0.0.1"), reference.agentList(Map.of("auth_id", authId)).get("result"));
    }

    @Test
    void aSecondStartRegistersNothingAndKeepsWhatAnAdminChose() throws Exception {
        ExampleApps.register(supervisor, "127.0.0.1", appsDir);
        int audited = audit().size();
        ExampleApps.register(supervisor, "127.0.0.1", appsDir);
        assertEquals(audited, audit().size(), "nothing done again: " + audit());

        // an admin rolls apptest out elsewhere, in another version: a restart keeps that
        ExamplePackage example = ExamplePackage.of("apptest");
        supervisor.appUpload(Map.of("app", "apptest", "version", "2.0", "sha256", example.sha256(),
                "data", Base64.getEncoder().encodeToString(example.zip())));
        supervisor.appOnline(Map.of("app", "apptest", "version", "2.0"));
        supervisor.appDeploy(Map.of("app", "apptest", "agents", "10.0.0.7"));
        ExampleApps.register(supervisor, "127.0.0.1", appsDir);
        Map<String, Object> apptest = apps().get(0);
        assertEquals("2.0", apptest.get("online_version"));
        assertEquals(List.of("10.0.0.7"), apptest.get("agents"));
        assertEquals(2, ((List<?>) apptest.get("versions")).size());
    }

    @Test
    void anExampleWhoseCopyByHandHasAnotherVersionIsRegisteredButNotDeployed() throws Exception {
        Files.writeString(AppInstaller.installExample("apptest", appsDir).resolve("VERSION"), "0.9-mine\n");
        AppInstaller.installExample("shelltest", appsDir);
        assertEquals(List.of("apptest 1.0.0 (not deployed: 127.0.0.1 has version 0.9-mine installed by hand)",
                "shelltest 1.0.0"), ExampleApps.register(supervisor, "127.0.0.1", appsDir));
        assertEquals(List.of(), apps().get(0).get("agents"), "the agent would replace the copy by hand");
        assertEquals("1.0.0", apps().get(0).get("online_version"));
        assertEquals(List.of("127.0.0.1"), apps().get(1).get("agents"), "same version: left alone by the agent");
    }

    @Test
    void thePackageIsTheExampleAsInstalledByHandAndTheSameAtEveryBuild() throws Exception {
        ExamplePackage first = ExamplePackage.of("apptest");
        ExamplePackage second = ExamplePackage.of("apptest");
        assertEquals(first.sha256(), second.sha256(), "the same bytes: a restart uploads nothing");
        assertEquals(List.of("VERSION", "app-worker.py", "appcfg.json", "apptest.py", "processor.py"), entries(first.zip()));
        assertEquals("1.0.0", first.version());
        assertNotEquals(first.sha256(), ExamplePackage.of("shelltest").sha256());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(Map<String, Object> reply) {
        assertEquals("true", reply.get("flag"), String.valueOf(reply));
        return (Map<String, Object>) reply.get("result");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> apps() {
        return (List<Map<String, Object>>) supervisor.appList(Map.of()).get("result");
    }

    private List<?> audit() {
        return (List<?>) auditLog.audit(Map.of("limit", "1000")).get("result");
    }

    private static List<String> entries(byte[] zip) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}

package org.elves.center.supervisor;

import org.bson.Document;
import org.elves.center.common.AgentSet;
import org.elves.center.rpc.Replies;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ElvesTime;
import org.elves.protocol.ErrorCode;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.pull;
import static com.mongodb.client.model.Updates.push;
import static com.mongodb.client.model.Updates.set;
import static org.elves.center.common.JobParams.text;
import static org.elves.center.supervisor.SupervisorParams.agents;
import static org.elves.center.supervisor.SupervisorParams.app;
import static org.elves.center.supervisor.SupervisorParams.version;
import static org.elves.center.supervisor.SupervisorRecords.existingApp;
import static org.elves.center.supervisor.SupervisorRecords.versions;

/**
 * The app catalogue behind /api/v2/admin/app/*: apps, their versions and packages, the version
 * agents must run and the agents an app goes to; the packages agents download.
 */
public class AppCatalogue {
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");

    private final SupervisorStore store;
    private final ElvesConfig config;
    private final LongSupplier clock;
    private final AgentCategories categories;
    private final AuditLog audit;

    public AppCatalogue(SupervisorStore store, ElvesConfig config, LongSupplier clock,
                        AgentCategories categories, AuditLog audit) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.categories = categories;
        this.audit = audit;
    }

    public Map<String, Object> appCreate(Map<String, Object> body) {
        String app = app(body);
        String processor = text(body.get("processor"));
        if (!processor.isEmpty() && !HOST_PORT.matcher(processor).matches()) {
            throw new ElvesException(ErrorCode.PARAM_APP, "processor must be host:port, got '" + processor + "'");
        }
        if (store.app(app) != null) {
            throw new ElvesException(ErrorCode.APP_EXISTS, app);
        }
        long now = clock.getAsLong();
        store.insertApp(new Document("_id", app).append("name", text(body.get("name")).isEmpty() ? app : text(body.get("name")))
                .append("processor", processor).append("online_version", "").append("agents", List.of())
                .append("versions", List.of()).append("create_time", now).append("update_time", now));
        audit.record(body, "app.create", app, "name " + text(body.get("name")) + (processor.isEmpty() ? "" : ", processor " + processor));
        return Replies.ok(Map.of("app", app));
    }

    public Map<String, Object> appUpload(Map<String, Object> body) {
        String app = app(body);
        Document existing = existingApp(store, app);
        String version = version(body);
        byte[] data;
        try {
            data = Base64.getDecoder().decode(text(body.get("data")));
        } catch (IllegalArgumentException e) {
            throw new ElvesException(ErrorCode.PARAM_PACKAGE, "package data is not base64");
        }
        long max = config.requireLong("elves.supervisor.max-package-bytes");
        if (data.length == 0 || data.length > max) {
            throw new ElvesException(ErrorCode.PARAM_PACKAGE, "package of " + data.length + " bytes (1 to " + max + " accepted)");
        }
        if (data.length < 4 || data[0] != 'P' || data[1] != 'K' || data[2] != 3 || data[3] != 4) {
            throw new ElvesException(ErrorCode.PARAM_PACKAGE, "package is not a zip archive");
        }
        String sha256 = sha256(data);
        if (!sha256.equalsIgnoreCase(text(body.get("sha256")))) {
            throw new ElvesException(ErrorCode.PARAM_PACKAGE, "sha256 of the package is " + sha256 + ", not " + text(body.get("sha256")));
        }
        int chunks = Math.max(1, (data.length + SupervisorStore.CHUNK_BYTES - 1) / SupervisorStore.CHUNK_BYTES);
        store.putPackage(app, version, data);
        long now = clock.getAsLong();
        Document entry = new Document("version", version).append("sha256", sha256).append("size", data.length)
                .append("chunks", chunks).append("upload_time", now).append("uploader", text(body.get("actor")));
        boolean replaced = versions(existing).stream().anyMatch(v -> version.equals(v.getString("version")));
        store.updateApp(app, pull("versions", new Document("version", version)));
        store.updateApp(app, combine(push("versions", entry), set("update_time", now)));
        audit.record(body, replaced ? "app.reupload" : "app.upload", app + " " + version, "sha256 " + sha256 + ", " + data.length + " bytes");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("app", app);
        result.put("version", version);
        result.put("sha256", sha256);
        result.put("size", data.length);
        return Replies.ok(result);
    }

    /** The version agents must run: a roll-out, or a roll-back to an earlier upload. */
    public Map<String, Object> appOnline(Map<String, Object> body) {
        String app = app(body);
        Document existing = existingApp(store, app);
        String version = version(body);
        if (versions(existing).stream().noneMatch(v -> version.equals(v.getString("version")))) {
            throw new ElvesException(ErrorCode.APP_VERSION_NOT_FOUND, app + " " + version);
        }
        store.updateApp(app, combine(set("online_version", version), set("update_time", clock.getAsLong())));
        audit.record(body, "app.online", app, "version " + existing.getString("online_version") + " -> " + version);
        return Replies.ok(Map.of("app", app, "version", version));
    }

    public Map<String, Object> appDeploy(Map<String, Object> body) {
        String app = app(body);
        Document existing = existingApp(store, app);
        List<String> agents = agents(body);
        store.updateApp(app, combine(set("agents", agents), set("update_time", clock.getAsLong())));
        audit.record(body, "app.deploy", app, "agents " + existing.getList("agents", String.class) + " -> " + agents);
        return Replies.ok(Map.of("app", app, "agents", agents));
    }

    public Map<String, Object> appList(Map<String, Object> body) {
        List<Map<String, Object>> apps = new ArrayList<>();
        for (Document app : store.apps()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("app", app.getString("_id"));
            a.put("name", app.getString("name"));
            a.put("processor", app.getString("processor"));
            a.put("online_version", app.getString("online_version"));
            a.put("agents", app.getList("agents", String.class));
            List<Map<String, Object>> versions = new ArrayList<>();
            for (Document v : versions(app)) {
                Map<String, Object> ver = new LinkedHashMap<>();
                ver.put("version", v.getString("version"));
                ver.put("sha256", v.getString("sha256"));
                ver.put("size", v.get("size"));
                ver.put("upload_time", ElvesTime.format(v.get("upload_time", 0L)));
                versions.add(ver);
            }
            a.put("versions", versions);
            a.put("create_time", ElvesTime.format(app.get("create_time", 0L)));
            a.put("update_time", ElvesTime.format(app.get("update_time", 0L)));
            apps.add(a);
        }
        return Replies.ok(apps);
    }

    /**
     * app/status: per agent the app is deployed to (or reports), the version wanted, the one it
     * has and how its install went, from Heartbeat's agentList answer (online agents).
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> appStatus(Map<String, Object> heartbeatAgents, String appName) {
        Document app = existingApp(store, appName);
        List<String> deployed = app.getList("agents", String.class);
        String wanted = app.getString("online_version");
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> agents = heartbeatAgents != null && heartbeatAgents.get("result") instanceof List<?> l
                ? (List<Map<String, Object>>) l : List.of();
        for (Map<String, Object> agent : agents) {
            String ip = text(agent.get("ip"));
            boolean targeted = AgentSet.matches(categories.resolved(deployed), ip);
            Object installed = agent.get("apps") instanceof Map<?, ?> apps ? apps.get(appName) : null;
            Map<String, Object> status = agent.get("app_status") instanceof Map<?, ?> st && st.get(appName) instanceof Map<?, ?> s
                    ? (Map<String, Object>) s : Map.of();
            if (!targeted && installed == null && status.isEmpty()) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ip", ip);
            row.put("wanted", targeted ? wanted : "");
            row.put("installed", installed == null ? "" : String.valueOf(installed));
            row.put("state", text(status.get("state")));
            row.put("error", text(status.get("error")));
            row.put("last_hb_time", text(agent.get("last_hb_time")));
            rows.add(row);
        }
        return Replies.ok(rows);
    }

    /** Heartbeat's agentList query for every online agent (app/status). */
    public Map<String, Object> everyAgent() {
        return new LinkedHashMap<>();
    }

    /** The package bytes of one version, for the agents' download; null when unknown. */
    public byte[] packageBytes(String appName, String version) {
        Document app = store.app(appName);
        if (app == null) {
            return null;
        }
        for (Document v : versions(app)) {
            if (version.equals(v.getString("version"))) {
                return store.getPackage(appName, version, v.getInteger("chunks", 1));
            }
        }
        return null;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

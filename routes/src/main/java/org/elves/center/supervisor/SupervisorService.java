package org.elves.center.supervisor;

import org.bson.Document;
import org.elves.center.common.AgentSet;
import org.elves.center.common.JobParams;
import org.elves.center.common.PolledTable;
import org.elves.center.common.Replies;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ElvesTime;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.TaskIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
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
import static com.mongodb.client.model.Updates.unset;
import static org.elves.center.common.JobParams.text;

/**
 * The Supervisor's handlers: the admin functions behind /api/v2/admin/* (apps, versions and
 * packages, deployments, keys and grants, audit), the tables OpenAPI and Heartbeat cache
 * (keyTable, deployTable), and the reference's functions (§6: getAuthKey, validateAuth, appInfo,
 * agentList, appAuthInfo, appAllInfo). Every change is written to the audit with its actor.
 */
public class SupervisorService {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorService.class);
    private static final Pattern APP = Pattern.compile("[a-z0-9][a-z0-9-]{0,29}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,29}");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");
    public static final String EVERY_AGENT = "*";

    private final SupervisorStore store;
    private final ElvesConfig config;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();

    public SupervisorService(SupervisorStore store, ElvesConfig config, LongSupplier clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    // ---- apps ----

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
        audit(body, "app.create", app, "name " + text(body.get("name")) + (processor.isEmpty() ? "" : ", processor " + processor));
        return Replies.ok(Map.of("app", app));
    }

    public Map<String, Object> appUpload(Map<String, Object> body) {
        String app = app(body);
        Document existing = existingApp(app);
        String version = version(body);
        byte[] data;
        try {
            data = Base64.getDecoder().decode(text(body.get("data")));
        } catch (IllegalArgumentException e) {
            throw new ElvesException(ErrorCode.PARAM_PACKAGE, "package data is not base64");
        }
        long max = config.getLong("elves.supervisor.max-package-bytes", 64L << 20);
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
        audit(body, replaced ? "app.reupload" : "app.upload", app + " " + version, "sha256 " + sha256 + ", " + data.length + " bytes");
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
        Document existing = existingApp(app);
        String version = version(body);
        if (versions(existing).stream().noneMatch(v -> version.equals(v.getString("version")))) {
            throw new ElvesException(ErrorCode.APP_VERSION_NOT_FOUND, app + " " + version);
        }
        store.updateApp(app, combine(set("online_version", version), set("update_time", clock.getAsLong())));
        audit(body, "app.online", app, "version " + existing.getString("online_version") + " -> " + version);
        return Replies.ok(Map.of("app", app, "version", version));
    }

    public Map<String, Object> appDeploy(Map<String, Object> body) {
        String app = app(body);
        Document existing = existingApp(app);
        List<String> agents = agents(body);
        store.updateApp(app, combine(set("agents", agents), set("update_time", clock.getAsLong())));
        audit(body, "app.deploy", app, "agents " + existing.getList("agents", String.class) + " -> " + agents);
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
        Document app = existingApp(appName);
        List<String> deployed = app.getList("agents", String.class);
        String wanted = app.getString("online_version");
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> agents = heartbeatAgents != null && heartbeatAgents.get("result") instanceof List<?> l
                ? (List<Map<String, Object>>) l : List.of();
        for (Map<String, Object> agent : agents) {
            String ip = text(agent.get("ip"));
            boolean targeted = AgentSet.matches(resolved(deployed), ip);
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

    // ---- keys ----

    public Map<String, Object> keyCreate(Map<String, Object> body) {
        String authId = TaskIds.next();
        String secret = secret();
        long now = clock.getAsLong();
        boolean admin = "true".equalsIgnoreCase(text(body.get("admin")));
        boolean strong = "true".equalsIgnoreCase(text(body.get("strong_only")));
        store.insertKey(new Document("_id", authId).append("name", text(body.get("name"))).append("secret", secret)
                .append("admin", admin).append("strong_only", strong).append("grants", new Document())
                .append("create_time", now).append("rotate_time", 0L));
        audit(body, "key.create", authId, "name " + text(body.get("name")) + (admin ? ", admin" : "") + (strong ? ", strong only" : ""));
        return Replies.ok(Map.of("auth_id", authId, "key", secret));
    }

    public Map<String, Object> keyGrant(Map<String, Object> body) {
        String authId = existingKey(body).getString("_id");
        // an app installed by hand on the agents (not distributed) may be granted too
        String app = app(body);
        List<String> agents = agents(body);
        store.updateKey(authId, set("grants." + app, agents));
        audit(body, "key.grant", authId, app + " on " + agents);
        return Replies.ok(Map.of("auth_id", authId, "grants", grants(store.key(authId))));
    }

    /** Without app: the key is deleted; with app: that grant goes. */
    public Map<String, Object> keyRevoke(Map<String, Object> body) {
        String authId = existingKey(body).getString("_id");
        String app = text(body.get("app"));
        if (app.isEmpty()) {
            store.deleteKey(authId);
            audit(body, "key.delete", authId, "");
            return Replies.ok(Map.of("auth_id", authId, "deleted", true));
        }
        store.updateKey(authId, unset("grants." + app));
        audit(body, "key.revoke", authId, app);
        return Replies.ok(Map.of("auth_id", authId, "grants", grants(store.key(authId))));
    }

    /** A new secret; the old one stops working as soon as OpenAPI's cache reloads (about a second). */
    public Map<String, Object> keyRotate(Map<String, Object> body) {
        String authId = existingKey(body).getString("_id");
        String secret = secret();
        store.updateKey(authId, combine(set("secret", secret), set("rotate_time", clock.getAsLong())));
        audit(body, "key.rotate", authId, "");
        return Replies.ok(Map.of("auth_id", authId, "key", secret));
    }

    public Map<String, Object> keyList(Map<String, Object> body) {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (Document key : store.keys()) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("auth_id", key.getString("_id"));
            k.put("name", key.getString("name"));
            k.put("admin", key.getBoolean("admin", false));
            k.put("strong_only", key.getBoolean("strong_only", false));
            k.put("grants", grants(key));
            k.put("create_time", ElvesTime.format(key.get("create_time", 0L)));
            k.put("rotate_time", ElvesTime.format(key.get("rotate_time", 0L)));
            keys.add(k);
        }
        return Replies.ok(keys);
    }

    public Map<String, Object> audit(Map<String, Object> body) {
        int limit = Math.max(1, Math.min(1000, JobParams.timeoutSeconds(body.get("limit"), 100)));
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Document e : store.audit(limit)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("time", ElvesTime.format(e.get("time", 0L)));
            for (String field : List.of("actor", "action", "target", "detail")) {
                entry.put(field, e.getString(field));
            }
            entries.add(entry);
        }
        return Replies.ok(entries);
    }

    // ---- the tables other components cache ----

    /** For OpenAPI: every key with its secret and grants, only when the caller's version is not current. */
    public Map<String, Object> keyTable(Map<String, Object> body) {
        return PolledTable.answer(String.valueOf(store.changes(SupervisorStore.KEYS)), body, "keys", () -> {
            List<Map<String, Object>> keys = new ArrayList<>();
            for (Document key : store.keys()) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("auth_id", key.getString("_id"));
                k.put("secret", key.getString("secret"));
                k.put("admin", key.getBoolean("admin", false));
                k.put("strong_only", key.getBoolean("strong_only", false));
                Map<String, List<String>> grants = grants(key);
                grants.replaceAll((app, agents) -> resolved(agents));
                k.put("grants", grants);
                keys.add(k);
            }
            return keys;
        });
    }

    /**
     * For Heartbeat: "apps", each app with an online version and agents, {app, version, sha256,
     * size, url, agents}, and "managed", the names of every app with an online version (deployed
     * or not: an original agent must drop those the Supervisor does not deploy to it, and may keep
     * any other app it has); only when the caller's version is not current.
     */
    public Map<String, Object> deployTable(Map<String, Object> body) {
        return PolledTable.answerWith(String.valueOf(store.changes(SupervisorStore.DEPLOY)), body, () -> {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("apps", deployments());
            table.put("managed", store.apps().stream()
                    .filter(SupervisorService::hasOnlineVersion)
                    .map(app -> app.getString("_id")).toList());
            return table;
        });
    }

    /** For the Scheduler: {app: host:port} of every app given a processor; only when changed. */
    public Map<String, Object> processorTable(Map<String, Object> body) {
        return PolledTable.answer(String.valueOf(store.changes(SupervisorStore.DEPLOY)), body, "processors", () -> {
            Map<String, Object> processors = new LinkedHashMap<>();
            for (Document app : store.apps()) {
                String processor = app.getString("processor");
                if (processor != null && !processor.isEmpty()) {
                    processors.put(app.getString("_id"), processor);
                }
            }
            return processors;
        });
    }

    /** The reference's appAuthInfo: [{app, version, agentList}] of every app with an online version. */
    public Map<String, Object> appAuthInfo(Map<String, Object> body) {
        List<Map<String, Object>> apps = new ArrayList<>();
        for (Map<String, Object> d : deployments()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("app", d.get("app"));
            a.put("version", d.get("version"));
            a.put("agentList", d.get("agents"));
            apps.add(a);
        }
        return Replies.ok(apps);
    }

    private List<Map<String, Object>> deployments() {
        String base = packageBaseUrl();
        List<Map<String, Object>> apps = new ArrayList<>();
        for (Document app : store.apps()) {
            String online = app.getString("online_version");
            List<String> agents = app.getList("agents", String.class);
            if (!hasOnlineVersion(app) || agents == null || agents.isEmpty()) {
                continue;
            }
            for (Document v : versions(app)) {
                if (online.equals(v.getString("version"))) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("app", app.getString("_id"));
                    d.put("version", online);
                    d.put("sha256", v.getString("sha256"));
                    d.put("size", v.get("size"));
                    d.put("url", base + "/" + app.getString("_id") + "/" + online);
                    d.put("agents", resolved(agents));
                    apps.add(d);
                }
            }
        }
        return apps;
    }

    private static boolean hasOnlineVersion(Document app) {
        String online = app.getString("online_version");
        return online != null && !online.isEmpty();
    }

    /** Where agents download packages: elves.supervisor.package-url, else this center's HTTP server. */
    String packageBaseUrl() {
        String configured = config.get("elves.supervisor.package-url", "").trim();
        if (!configured.isEmpty()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        String port = config.components().contains("openapi") ? config.get("elves.openapi.port", "9091")
                : config.get("elves.supervisor.port", "9092");
        return "http://127.0.0.1:" + port + "/packages";
    }

    // ---- the reference's functions (§6.3) ----

    public Map<String, Object> getAuthKey(Map<String, Object> body) {
        Document key = existingKey(body);
        Map<String, Object> reply = Replies.ok(null);
        reply.put("auth_key", key.getString("secret"));
        return reply;
    }

    public Map<String, Object> validateAuth(Map<String, Object> body) {
        Document key = existingKey(body);
        String app = text(body.get("app"));
        if (!app.isEmpty() && store.app(app) == null) {
            throw new ElvesException(ErrorCode.APP_NOT_FOUND, app);
        }
        Map<String, List<String>> grants = grants(key);
        String ip = text(body.get("ip"));
        boolean allowed = key.getBoolean("admin", false) || (app.isEmpty()
                ? ip.isEmpty() || grants.values().stream().anyMatch(a -> AgentSet.matches(resolved(a), ip))
                : grants.containsKey(app) && (ip.isEmpty() || AgentSet.matches(resolved(grants.get(app)), ip)));
        return Replies.ok(String.valueOf(allowed));
    }

    /** The app of this key (the reference binds a key to one app): its first grant. */
    public Map<String, Object> appInfo(Map<String, Object> body) {
        Document key = existingKey(body);
        Map<String, List<String>> grants = grants(key);
        if (grants.isEmpty()) {
            throw new ElvesException(ErrorCode.APP_NOT_FOUND, "no app granted to " + key.getString("_id"));
        }
        return Replies.ok(appSummary(existingApp(grants.keySet().iterator().next())));
    }

    /** The agents this key's apps may run on; "*" when one grant covers every agent. */
    public Map<String, Object> agentList(Map<String, Object> body) {
        Document key = existingKey(body);
        List<String> ips = new ArrayList<>();
        for (List<String> agents : grants(key).values()) {
            for (String ip : agents) {
                if (!ips.contains(ip)) {
                    ips.add(ip);
                }
            }
        }
        return Replies.ok(ips);
    }

    public Map<String, Object> appAllInfo(Map<String, Object> body) {
        List<Map<String, Object>> apps = new ArrayList<>();
        store.apps().forEach(app -> apps.add(appSummary(app)));
        return Replies.ok(apps);
    }

    private static Map<String, Object> appSummary(Document app) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("app", app.getString("_id"));
        a.put("app_name", app.getString("name"));
        a.put("app_ver", app.getString("online_version"));
        a.put("last_update_time", ElvesTime.format(app.get("update_time", 0L)));
        return a;
    }

    // ---- rules ----

    private static String app(Map<String, Object> body) {
        String app = text(body.get("app"));
        if (!APP.matcher(app).matches()) {
            throw new ElvesException(ErrorCode.PARAM_APP, "app must be 1-30 of a-z, 0-9 and -, starting with a letter or digit; got '" + app + "'");
        }
        return app;
    }

    private static String version(Map<String, Object> body) {
        String version = text(body.get("version"));
        if (!VERSION.matcher(version).matches()) {
            throw new ElvesException(ErrorCode.PARAM_VERSION, "version must be 1-30 of A-Z, a-z, 0-9, . and -; got '" + version + "'");
        }
        return version;
    }

    /**
     * "*", or a comma list of IPv4 addresses, networks (a.b.c.d/n) and categories (@name, defined
     * by elves.supervisor.category.<name>), in order, without repeats.
     */
    static List<String> agents(Map<String, Object> body) {
        String text = text(body.get("agents"));
        if (text.equals(EVERY_AGENT)) {
            return List.of(EVERY_AGENT);
        }
        List<String> entries = new ArrayList<>();
        for (String entry : text.split(",")) {
            String trimmed = entry.trim();
            if (!AgentSet.isIp(trimmed) && !AgentSet.isNetwork(trimmed) && !AgentSet.isCategory(trimmed)) {
                throw new ElvesException(ErrorCode.PARAM_AGENTS, "agents must be * or IPv4 addresses, networks (a.b.c.d/n) "
                        + "or categories (@name) separated by commas; '" + trimmed + "' is none");
            }
            if (!entries.contains(trimmed)) {
                entries.add(trimmed);
            }
        }
        return entries;
    }

    /**
     * Categories replaced by what elves.supervisor.category.&lt;name&gt; lists (read now, so a
     * change in ZooKeeper applies at the next table; the CMDBProxy will provide them later).
     */
    List<String> resolved(List<String> entries) {
        List<String> out = new ArrayList<>();
        for (String entry : entries) {
            if (!AgentSet.isCategory(entry)) {
                out.add(entry);
                continue;
            }
            String members = config.get("elves.supervisor.category." + entry.substring(1), "").trim();
            if (members.isEmpty()) {
                LOG.warn("category {} is not defined (elves.supervisor.category.{}): it holds no agent", entry, entry.substring(1));
            }
            for (String m : members.split(",")) {
                String member = m.trim();
                if ((AgentSet.isIp(member) || AgentSet.isNetwork(member)) && !out.contains(member)) {
                    out.add(member);
                }
            }
        }
        return out;
    }

    private Document existingApp(String app) {
        Document doc = store.app(app);
        if (doc == null) {
            throw new ElvesException(ErrorCode.APP_NOT_FOUND, app);
        }
        return doc;
    }

    private Document existingKey(Map<String, Object> body) {
        String authId = text(body.get("auth_id"));
        Document key = authId.isEmpty() ? null : store.key(authId);
        if (key == null) {
            throw new ElvesException(ErrorCode.AUTH_ID_NOT_FOUND, authId);
        }
        return key;
    }

    @SuppressWarnings("unchecked")
    static Map<String, List<String>> grants(Document key) {
        Map<String, List<String>> grants = new LinkedHashMap<>();
        Object g = key.get("grants");
        if (g instanceof Map<?, ?> map) {
            map.forEach((app, agents) -> grants.put(String.valueOf(app), new ArrayList<>((List<String>) agents)));
        }
        return grants;
    }

    @SuppressWarnings("unchecked")
    private static List<Document> versions(Document app) {
        Object v = app.get("versions");
        return v instanceof List<?> list ? (List<Document>) list : List.of();
    }

    private void audit(Map<String, Object> body, String action, String target, String detail) {
        String actor = text(body.get("actor"));
        store.audit(new Document("time", clock.getAsLong()).append("actor", actor).append("action", action)
                .append("target", target).append("detail", detail));
        LOG.info("audit: {} {} {} ({})", actor, action, target, detail);
    }

    private String secret() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}

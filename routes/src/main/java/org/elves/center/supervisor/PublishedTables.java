package org.elves.center.supervisor;

import org.bson.Document;
import org.elves.center.common.PolledTable;
import org.elves.center.contract.Deployments;
import org.elves.center.contract.ProcessorTable;
import org.elves.config.ElvesConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.elves.center.supervisor.SupervisorRecords.grants;
import static org.elves.center.supervisor.SupervisorRecords.hasOnlineVersion;
import static org.elves.center.supervisor.SupervisorRecords.versions;

/**
 * The tables other components poll and cache: keys for OpenAPI, deployments for Heartbeat,
 * processors for the Scheduler. Each is answered only when the caller's version is not current,
 * with categories resolved to their agents.
 */
public class PublishedTables {
    private final SupervisorStore store;
    private final ElvesConfig config;
    private final AgentCategories categories;

    public PublishedTables(SupervisorStore store, ElvesConfig config, AgentCategories categories) {
        this.store = store;
        this.config = config;
        this.categories = categories;
    }

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
                grants.replaceAll((app, agents) -> categories.resolved(agents));
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
        return PolledTable.answerWith(String.valueOf(store.changes(SupervisorStore.DEPLOY)), body,
                () -> new Deployments(deployments(), store.apps().stream()
                        .filter(SupervisorRecords::hasOnlineVersion)
                        .map(app -> app.getString("_id"))
                        .collect(Collectors.toCollection(LinkedHashSet::new))).toMap());
    }

    /** For the Scheduler: {app: host:port} of every app given a processor; only when changed. */
    public Map<String, Object> processorTable(Map<String, Object> body) {
        return PolledTable.answerWith(String.valueOf(store.changes(SupervisorStore.DEPLOY)), body, () -> {
            Map<String, String> processors = new LinkedHashMap<>();
            for (Document app : store.apps()) {
                String processor = app.getString("processor");
                if (processor != null && !processor.isEmpty()) {
                    processors.put(app.getString("_id"), processor);
                }
            }
            return new ProcessorTable(processors).toMap();
        });
    }

    /** Each app with an online version and agents: {app, version, sha256, size, url, agents}. */
    List<Map<String, Object>> deployments() {
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
                    d.put("agents", categories.resolved(agents));
                    apps.add(d);
                }
            }
        }
        return apps;
    }

    /** Where agents download packages: elves.supervisor.package-url, else this center's HTTP server. */
    String packageBaseUrl() {
        Optional<String> configured = config.optional("elves.supervisor.package-url").map(String::trim);
        if (configured.isPresent()) {
            String url = configured.get();
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
        String port = config.components().contains("openapi") ? config.require("elves.openapi.port")
                : config.require("elves.supervisor.port");
        return "http://127.0.0.1:" + port + "/packages";
    }
}

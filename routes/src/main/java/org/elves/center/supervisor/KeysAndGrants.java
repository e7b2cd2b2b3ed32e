package org.elves.center.supervisor;

import org.bson.Document;
import org.elves.center.rpc.Replies;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.ElvesTime;
import org.elves.protocol.TaskIds;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.set;
import static com.mongodb.client.model.Updates.unset;
import static org.elves.center.common.JobParams.text;
import static org.elves.center.supervisor.SupervisorParams.agents;
import static org.elves.center.supervisor.SupervisorParams.app;
import static org.elves.center.supervisor.SupervisorRecords.existingKey;
import static org.elves.center.supervisor.SupervisorRecords.grants;

/**
 * The API keys behind /api/v2/admin/key/*: created, granted apps on agents, revoked, rotated,
 * listed. OpenAPI learns of every change from the keyTable (PublishedTables).
 */
public class KeysAndGrants {
    static final String CONFIGURED = "configured";
    private final SupervisorStore store;
    private final LongSupplier clock;
    private final AuditLog audit;
    private final SecureRandom random = new SecureRandom();

    public KeysAndGrants(SupervisorStore store, LongSupplier clock, AuditLog audit) {
        this.store = store;
        this.clock = clock;
        this.audit = audit;
    }

    public Map<String, Object> keyCreate(Map<String, Object> body) {
        String authId = TaskIds.next();
        String secret = secret();
        long now = clock.getAsLong();
        boolean admin = "true".equalsIgnoreCase(text(body.get("admin")));
        boolean strong = "true".equalsIgnoreCase(text(body.get("strong_only")));
        store.insertKey(new Document("_id", authId).append("name", text(body.get("name"))).append("secret", secret)
                .append("admin", admin).append("strong_only", strong).append("grants", new Document())
                .append("create_time", now).append("rotate_time", 0L));
        audit.record(body, "key.create", authId, "name " + text(body.get("name")) + (admin ? ", admin" : "") + (strong ? ", strong only" : ""));
        return Replies.ok(Map.of("auth_id", authId, "key", secret));
    }

    /**
     * The admin pair an OpenAPI instance was configured with ({@code elves.openapi.auth.id/key},
     * the standalone's generated pair), registered by it at its start (route openapi-admin-pair)
     * so that every OpenAPI instance accepts it. One configured pair at a time: a new one
     * replaces the previous; a key created through the API is never overwritten.
     */
    public Map<String, Object> configuredAdminPair(Map<String, Object> body) {
        String authId = text(body.get("auth_id"));
        String secret = text(body.get("key"));
        if (authId.isEmpty() || secret.isEmpty()) {
            throw new ElvesException(ErrorCode.AUTH_ID_NOT_FOUND, "a configured admin pair needs auth_id and key");
        }
        Document known = store.key(authId);
        if (known != null && !known.getBoolean(CONFIGURED, false)) {
            throw new ElvesException(ErrorCode.AUTH_ID_NOT_FOUND, "auth_id " + authId
                    + " is a key created through the API; the configured admin pair must have another auth_id");
        }
        if (known == null || !secret.equals(known.getString("secret"))) {
            long now = clock.getAsLong();
            store.replaceConfiguredKey(new Document("_id", authId).append("name", "configured admin pair")
                    .append("secret", secret).append("admin", true).append("strong_only", false)
                    .append("grants", new Document()).append(CONFIGURED, true)
                    .append("create_time", known == null ? now : known.get("create_time", now)).append("rotate_time", known == null ? 0L : now));
            audit.record(body, "key.configured", authId, known == null ? "registered" : "its secret changed");
        }
        return Replies.ok(Map.of("auth_id", authId));
    }

    public Map<String, Object> keyGrant(Map<String, Object> body) {
        String authId = managedKey(body).getString("_id");
        // an app installed by hand on the agents (not distributed) may be granted too
        String app = app(body);
        List<String> agents = agents(body);
        store.updateKey(authId, set("grants." + app, agents));
        audit.record(body, "key.grant", authId, app + " on " + agents);
        return Replies.ok(Map.of("auth_id", authId, "grants", grants(store.key(authId))));
    }

    /** Without app: the key is deleted; with app: that grant goes. */
    public Map<String, Object> keyRevoke(Map<String, Object> body) {
        String authId = managedKey(body).getString("_id");
        String app = text(body.get("app"));
        if (app.isEmpty()) {
            store.deleteKey(authId);
            audit.record(body, "key.delete", authId, "");
            return Replies.ok(Map.of("auth_id", authId, "deleted", true));
        }
        store.updateKey(authId, unset("grants." + app));
        audit.record(body, "key.revoke", authId, app);
        return Replies.ok(Map.of("auth_id", authId, "grants", grants(store.key(authId))));
    }

    /** A new secret; the old one stops working as soon as OpenAPI's cache reloads (about a second). */
    public Map<String, Object> keyRotate(Map<String, Object> body) {
        String authId = managedKey(body).getString("_id");
        String secret = secret();
        store.updateKey(authId, combine(set("secret", secret), set("rotate_time", clock.getAsLong())));
        audit.record(body, "key.rotate", authId, "");
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
            k.put(CONFIGURED, key.getBoolean(CONFIGURED, false));
            k.put("grants", grants(key));
            k.put("create_time", ElvesTime.format(key.get("create_time", 0L)));
            k.put("rotate_time", ElvesTime.format(key.get("rotate_time", 0L)));
            keys.add(k);
        }
        return Replies.ok(keys);
    }

    /** A key the API may change: the configured admin pair changes in the settings only. */
    private Document managedKey(Map<String, Object> body) {
        Document key = existingKey(store, body);
        if (key.getBoolean(CONFIGURED, false)) {
            throw new ElvesException(ErrorCode.AUTH_ID_NOT_FOUND, "auth_id " + key.getString("_id")
                    + " is the configured admin pair: change it in the settings (elves.openapi.auth.id, elves.openapi.auth.key)");
        }
        return key;
    }

    private String secret() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}

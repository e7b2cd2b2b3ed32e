package org.elves.center.supervisor;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.Binary;

import java.util.ArrayList;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.ne;

/**
 * The Supervisor's model in MongoDB: {@code apps} (one document per app: name, processor,
 * versions with their package checksum, the online version, the agents it is deployed to),
 * {@code app_packages} (package bytes in chunks of at most 1 MiB, {@code _id} = app/version/n, so
 * no document nears MongoDB's 16 MB limit and a real MongoDB and the embedded server both serve
 * them), {@code auth_keys} (auth_id, secret, admin, strong-only, grants app → agents),
 * {@code supervisor_audit} (every change: time, actor, action, target, detail) and
 * {@code supervisor_meta} (change counters of keys and deployments: OpenAPI and Heartbeat reload
 * their caches only when one moved).
 */
public class SupervisorStore {
    static final String KEYS = "keys";
    static final String DEPLOY = "deploy";
    static final int CHUNK_BYTES = 1 << 20;

    private final MongoCollection<Document> apps;
    private final MongoCollection<Document> packages;
    private final MongoCollection<Document> keys;
    private final MongoCollection<Document> audit;
    private final MongoCollection<Document> meta;

    public SupervisorStore(MongoClient client, String database) {
        var db = client.getDatabase(database);
        this.apps = db.getCollection("apps");
        this.packages = db.getCollection("app_packages");
        this.keys = db.getCollection("auth_keys");
        this.audit = db.getCollection("supervisor_audit");
        this.meta = db.getCollection("supervisor_meta");
    }

    Document app(String app) {
        return apps.find(eq("_id", app)).first();
    }

    List<Document> apps() {
        return apps.find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
    }

    void insertApp(Document app) {
        apps.insertOne(app);
        changed(DEPLOY);
    }

    /** Applies an update to an app; false when it does not exist. */
    boolean updateApp(String app, Bson update) {
        boolean found = apps.updateOne(eq("_id", app), update).getMatchedCount() == 1;
        if (found) {
            changed(DEPLOY);
        }
        return found;
    }

    /** Stores a package's bytes (replacing an upload of the same version). */
    void putPackage(String app, String version, byte[] data) {
        String prefix = app + "/" + version + "/";
        packages.deleteMany(com.mongodb.client.model.Filters.regex("_id", "^" + java.util.regex.Pattern.quote(prefix)));
        int n = 0;
        for (int offset = 0; offset < data.length || n == 0; offset += CHUNK_BYTES, n++) {
            int end = Math.min(data.length, offset + CHUNK_BYTES);
            packages.insertOne(new Document("_id", prefix + n)
                    .append("data", new Binary(java.util.Arrays.copyOfRange(data, offset, end))));
        }
    }

    /** A package's bytes, or null when not stored. */
    byte[] getPackage(String app, String version, int chunks) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int n = 0; n < chunks; n++) {
            Document chunk = packages.find(eq("_id", app + "/" + version + "/" + n)).first();
            if (chunk == null) {
                return null;
            }
            byte[] bytes = chunk.get("data", Binary.class).getData();
            out.write(bytes, 0, bytes.length);
        }
        return out.toByteArray();
    }

    Document key(String authId) {
        return keys.find(eq("_id", authId)).first();
    }

    List<Document> keys() {
        return keys.find().sort(Sorts.ascending("create_time")).into(new ArrayList<>());
    }

    void insertKey(Document key) {
        keys.insertOne(key);
        changed(KEYS);
    }

    /**
     * The configured admin pair ({@link KeysAndGrants#configuredAdminPair}) as the one key marked
     * {@code configured}: any other such key (a pair configured before) goes.
     */
    void replaceConfiguredKey(Document key) {
        keys.deleteMany(and(eq("configured", true), ne("_id", key.get("_id"))));
        keys.replaceOne(eq("_id", key.get("_id")), key, new ReplaceOptions().upsert(true));
        changed(KEYS);
    }

    boolean updateKey(String authId, Bson update) {
        boolean found = keys.updateOne(eq("_id", authId), update).getMatchedCount() == 1;
        if (found) {
            changed(KEYS);
        }
        return found;
    }

    boolean deleteKey(String authId) {
        boolean found = keys.deleteOne(eq("_id", authId)).getDeletedCount() == 1;
        if (found) {
            changed(KEYS);
        }
        return found;
    }

    void audit(Document entry) {
        audit.insertOne(entry);
    }

    List<Document> audit(int limit) {
        return audit.find().sort(Sorts.descending("time", "_id")).limit(limit).into(new ArrayList<>());
    }

    long changes(String what) {
        Document counters = meta.find(eq("_id", "changes")).first();
        Object n = counters == null ? null : counters.get(what);
        return n instanceof Number number ? number.longValue() : 0L;
    }

    private void changed(String what) {
        meta.findOneAndUpdate(eq("_id", "changes"), Updates.inc(what, 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
    }
}

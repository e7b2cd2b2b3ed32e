package org.elves.center.cron;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * Crons in MongoDB: collection {@code crons}, one document per cron with its definition, its
 * state ({@code cron_flag} 1 running / 0 paused), the key of its last claimed run
 * ({@code last_fire}, ms), its last result and a bounded history of runs; collection
 * {@code cron_meta} counts changes per side so the firing leader and the Heartbeat reload only
 * when something changed.
 * <p>
 * Every write is conditioned on an exact value ({@code last_fire} for a claim, {@code rev} for a
 * result), which a unique index on ({@code _id}, field) answers without a collection scan on the
 * embedded mongo-java-server too. A claim that loses (another leader, for a moment) fires nothing.
 */
public class CronStore {
    public static final String CENTER = "center";
    public static final String AGENT = "agent";

    private final MongoCollection<Document> crons;
    private final MongoCollection<Document> meta;

    public CronStore(MongoClient client, String database) {
        this.crons = client.getDatabase(database).getCollection("crons");
        this.meta = client.getDatabase(database).getCollection("cron_meta");
    }

    public void ensureIndexes() {
        crons.createIndex(Indexes.ascending("_id", "last_fire"), new IndexOptions().unique(true).name("_id_last_fire"));
        crons.createIndex(Indexes.ascending("_id", "rev"), new IndexOptions().unique(true).name("_id_rev"));
        crons.createIndex(Indexes.ascending("ip"));
    }

    void insert(Document cron) {
        crons.insertOne(cron);
        changed(cron.getString("side"));
    }

    Document find(String id) {
        return crons.find(eq("_id", id)).first();
    }

    /** Starts (flag 1, and no catch-up for the paused time: last_fire = now) or pauses a cron. */
    boolean setFlag(String id, int flag, long now) {
        Document before = crons.findOneAndUpdate(eq("_id", id),
                flag == 1 ? Updates.combine(Updates.set("cron_flag", 1), Updates.max("last_fire", now), Updates.inc("rev", 1))
                        : Updates.combine(Updates.set("cron_flag", 0), Updates.inc("rev", 1)));
        if (before == null) {
            return false;
        }
        changed(before.getString("side"));
        return true;
    }

    /** The deleted cron (its side and agent are needed for the push), or null when unknown. */
    Document delete(String id) {
        Document deleted = crons.findOneAndDelete(eq("_id", id));
        if (deleted != null) {
            changed(deleted.getString("side"));
        }
        return deleted;
    }

    List<Document> byIp(String ip) {
        return crons.find(eq("ip", ip)).sort(Sorts.descending("create_time")).into(new ArrayList<>());
    }

    List<Document> started(String side) {
        return crons.find(and(eq("side", side), eq("cron_flag", 1))).into(new ArrayList<>());
    }

    /** The change counter of one side: it moves on every add, start, stop and delete there. */
    long changes(String side) {
        Document counters = meta.find(eq("_id", "changes")).first();
        Object n = counters == null ? null : counters.get(side);
        return n instanceof Number number ? number.longValue() : 0L;
    }

    private void changed(String side) {
        meta.findOneAndUpdate(eq("_id", "changes"), Updates.inc(side == null ? CENTER : side, 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
    }

    /**
     * Claims the run of key (id, fireMs): last_fire moves from {@code expected} to {@code fireMs}.
     * False when the document no longer holds {@code expected} (someone else moved it).
     */
    boolean claim(String id, long expected, long fireMs, String claimer) {
        return crons.updateOne(and(eq("_id", id), eq("last_fire", expected)),
                Updates.combine(Updates.set("last_fire", fireMs), Updates.set("fired_by", token(claimer, fireMs)))).getModifiedCount() == 1;
    }

    /** One claim of {@link #claimAll}: move {@code id}'s last_fire from {@code expected} to {@code fireMs}. */
    record Claim(String id, long expected, long fireMs) {
    }

    /**
     * Claims many runs in one round trip (a tick of 1,000 crons due at the same second). The ids
     * of the claims applied: all of them in one answer when the bulk modified as many documents,
     * else read back by the claimer's token (another instance won the others, or they changed).
     */
    java.util.Set<String> claimAll(List<Claim> claims, String claimer) {
        java.util.Set<String> won = new java.util.HashSet<>();
        if (claims.isEmpty()) {
            return won;
        }
        List<com.mongodb.client.model.UpdateOneModel<Document>> updates = new ArrayList<>(claims.size());
        for (Claim c : claims) {
            updates.add(new com.mongodb.client.model.UpdateOneModel<>(and(eq("_id", c.id()), eq("last_fire", c.expected())),
                    Updates.combine(Updates.set("last_fire", c.fireMs()), Updates.set("fired_by", token(claimer, c.fireMs())))));
        }
        int modified = crons.bulkWrite(updates, new com.mongodb.client.model.BulkWriteOptions().ordered(false)).getModifiedCount();
        for (Claim c : claims) {
            if (modified == claims.size()) {
                won.add(c.id());
            } else {
                Document now = find(c.id());
                if (now != null && token(claimer, c.fireMs()).equals(now.getString("fired_by"))) {
                    won.add(c.id());
                }
            }
        }
        return won;
    }

    private static String token(String claimer, long fireMs) {
        return claimer + "#" + fireMs;
    }

    /** Replaces fields of a cron read at revision {@code rev}; false when it changed meanwhile. */
    boolean update(String id, long rev, Bson update) {
        return crons.updateOne(and(eq("_id", id), eq("rev", rev)), Updates.combine(update, Updates.inc("rev", 1)))
                .getModifiedCount() == 1;
    }
}

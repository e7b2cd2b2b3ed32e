package org.elves.center.cron;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
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
 * state ({@code cron_flag} 1 running / 0 paused), the time it was created or last started
 * ({@code last_fire}: no run before it), its last result and a bounded history of runs;
 * {@code cron_meta} counts changes per side so the firing leader and the Heartbeat reload only
 * when something changed; {@code cron_ticks} holds the seconds claimed by the firing leader
 * ({@code _id} = epoch second), the exactly-once guard of center runs.
 * <p>
 * A result is written conditioned on the revision read ({@code rev}), which a unique index on
 * ({@code _id}, {@code rev}) answers without a collection scan on the embedded mongo-java-server too.
 */
public class CronStore {
    public static final String CENTER = "center";
    public static final String AGENT = "agent";

    private final MongoCollection<Document> crons;
    private final MongoCollection<Document> meta;
    private final MongoCollection<Document> ticks;

    public CronStore(MongoClient client, String database) {
        this.crons = client.getDatabase(database).getCollection("crons");
        this.meta = client.getDatabase(database).getCollection("cron_meta");
        this.ticks = client.getDatabase(database).getCollection("cron_ticks");
    }

    public void ensureIndexes() {
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
     * Claims one second of firing for {@code claimer}: true for the one instance whose insert of
     * that second came first. The runs due up to a claimed tick are that instance's to fire.
     */
    boolean claimTick(long second, String claimer) {
        try {
            ticks.insertOne(new Document("_id", second).append("by", claimer));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** The latest second any instance claimed (epoch seconds), 0 when none. */
    long lastTick() {
        Document last = ticks.find().sort(Sorts.descending("_id")).limit(1).first();
        return last == null ? 0L : ((Number) last.get("_id")).longValue();
    }

    /** Claims are kept for an hour: enough for any take-over to find the last one. */
    void pruneTicks(long beforeSecond) {
        ticks.deleteMany(com.mongodb.client.model.Filters.lt("_id", beforeSecond));
    }

    /** Replaces fields of a cron read at revision {@code rev}; false when it changed meanwhile. */
    boolean update(String id, long rev, Bson update) {
        return crons.updateOne(and(eq("_id", id), eq("rev", rev)), Updates.combine(update, Updates.inc("rev", 1)))
                .getModifiedCount() == 1;
    }
}

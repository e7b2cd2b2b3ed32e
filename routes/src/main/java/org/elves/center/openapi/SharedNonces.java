package org.elves.center.openapi;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * The accepted hmac-sha256 (auth_id, nonce) pairs of every OpenAPI instance, in MongoDB
 * (collection {@code api_nonces}), so that a request replayed to another instance, or to one that
 * restarted, is refused as well (issue 14). A pair is claimed by inserting it under its own
 * {@code _id}: the database's unique key decides between two instances that see it at once, in
 * one round trip. Pairs are kept until their request's timestamp leaves the signature window
 * ({@code expires}); {@link #forgetExpired} removes older ones (route openapi-nonces, on every
 * instance: the deletes are idempotent). The in-process {@link NonceCache} stays in front of it:
 * a replay to the same instance is refused without asking the database.
 */
public class SharedNonces {
    private final MongoCollection<Document> nonces;

    public SharedNonces(MongoClient mongo, String database) {
        this.nonces = mongo.getDatabase(database).getCollection("api_nonces");
    }

    /** True when this is the pair's first claim; false when an instance accepted it before. */
    public boolean claim(String authId, String nonce, long expiresSeconds) {
        try {
            // a nonce is [A-Za-z0-9_-]: the newline cannot occur in it, so the id is unambiguous
            nonces.insertOne(new Document("_id", authId + "\n" + nonce).append("expires", expiresSeconds));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** As {@link #forgetExpired(long)} at the clock's time (route openapi-nonces). */
    public long forgetExpiredNow() {
        return forgetExpired(System.currentTimeMillis() / 1000);
    }

    /** Removes the pairs whose requests are out of the window by now; how many. */
    public long forgetExpired(long nowSeconds) {
        return nonces.deleteMany(Filters.lt("expires", nowSeconds)).getDeletedCount();
    }
}

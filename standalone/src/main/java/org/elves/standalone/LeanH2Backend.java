package org.elves.standalone;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * mongo-java-server's H2 backend, storing without Java serialization streams: the keys of its
 * unique indexes (the {@code _id} of every collection) in an {@link IndexKeyType} (H2's order and
 * bytes, so index maps stay as they were) and the documents in a {@link DocumentValueType}
 * (BSON). Files written before are read and extended; what this backend writes needs it to be
 * read again.
 */
final class LeanH2Backend extends H2Backend {
    private static final Logger LOG = LoggerFactory.getLogger(LeanH2Backend.class);

    LeanH2Backend(String file) {
        super(open(file));
    }

    /**
     * As the backend opens it, and with a handler: H2 closes the store for good when a write in
     * its background thread fails, and without a handler it says why nowhere; every later
     * command then answers only "This store is closed".
     */
    private static MVStore open(String file) {
        return new MVStore.Builder().fileName(file)
                .backgroundExceptionHandler((thread, e) -> LOG.error("the embedded MongoDB's store {} failed", file, e))
                .open();
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new H2Database(databaseName, getMvStore(), getCursorRegistry()) {
            @Override
            protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                            boolean sparse) {
                // opened first with this key type; the backend's own openMap(name) then finds it open.
                // The name is H2Database.mapNameForIndex's (private there).
                getMvStore().openMap(getFullCollectionNamespace(collectionName) + "._index_" + indexName,
                        new MVMap.Builder<Object, Object>().keyType(new IndexKeyType()));
                return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
            }

            @Override
            protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
                // the same way: the name is H2Database.DATABASES_PREFIX's (package-private there)
                getMvStore().openMap("databases." + getFullCollectionNamespace(collectionName),
                        new MVMap.Builder<Object, Object>().valueType(new DocumentValueType()));
                return super.openOrCreateCollection(collectionName, options);
            }
        };
    }
}

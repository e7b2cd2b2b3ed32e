package org.elves.center.watcher;

import com.mongodb.client.MongoClient;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Date;

/**
 * Watcher: records every message between components and each task's story (log record, timeline,
 * streamed output) from the tap (rpc.WatchTap), and answers the logs API (docs/watcher.md).
 */
public class WatcherConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(WatcherConfiguration.class);
    @PropertyInject("elves.watcher.retention-days")
    long retentionDays;
    @PropertyInject("elves.watcher.batch-size")
    int batchSize;
    @PropertyInject("elves.watcher.prefetch")
    int prefetch;

    @BindToRegistry("watcherStore")
    public WatcherStore watcherStore(@BeanInject("elvesMongo") MongoClient mongo,
                                     @PropertyInject("elves.mongo.database") String database,
                                     @PropertyInject("elves.watcher.output.head-bytes") int headBytes,
                                     @PropertyInject("elves.watcher.output.tail-bytes") int tailBytes) {
        return new WatcherStore(mongo, database, headBytes, tailBytes);
    }

    /** Beans on the store, bound after it (Camel's @BindToRegistry order is not reliable for chains). */
    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        WatcherStore store = registry.lookupByNameAndType("watcherStore", WatcherStore.class);
        registry.bind("tapBatch", new TapBatch(store, batchSize, prefetch));
        registry.bind("logQueries", new LogQueries(store));
        registry.bind("watcherRetention", new Retention(store, retentionDays));
        try {
            store.ensureIndexes();
        } catch (RuntimeException e) {
            LOG.warn("watcher indexes not created: {}", e.getMessage());
        }
    }

    /** Forgets what is older than the retention (route watcher-retention). */
    public static final class Retention {
        private final WatcherStore store;
        private final long retentionDays;

        Retention(WatcherStore store, long retentionDays) {
            this.store = store;
            this.retentionDays = retentionDays;
        }

        public long forgetOld() {
            if (retentionDays <= 0) {
                return 0;
            }
            return store.forgetBefore(new Date(System.currentTimeMillis() - retentionDays * 86_400_000L));
        }
    }
}

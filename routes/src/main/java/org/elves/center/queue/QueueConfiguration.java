package org.elves.center.queue;

import com.mongodb.client.MongoClient;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.elves.config.ElvesConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Queue: batches of async tasks with dependencies, state in MongoDB (reference §4.2). */
public class QueueConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(QueueConfiguration.class);

    @BindToRegistry("queueStore")
    public QueueStore queueStore(@BeanInject("elvesMongo") MongoClient mongo,
                                 @PropertyInject("elves.mongo.database") String database) {
        return new QueueStore(mongo, database);
    }

    @BindToRegistry("queueService")
    public QueueService queueService(@BeanInject("queueStore") QueueStore store,
                                     @BeanInject("elvesConfig") ElvesConfig config) {
        // broker link's up-since, to be wired to the broker engineer's brokerLink::upSinceMs
        // (org.elves.center.common) at the merge; 0 = "always connected / unknown": deadlines
        // count from the sending only, as before
        return new QueueService(store, config, System::currentTimeMillis, () -> 0L);
    }

    @Override
    public void configure(CamelContext context) {
        try {
            context.getRegistry().lookupByNameAndType("queueStore", QueueStore.class).ensureIndexes();
        } catch (RuntimeException e) {
            // slower lookups, not wrong ones: start anyway
            LOG.warn("queue indexes not created: {}", e.getMessage());
        }
    }
}

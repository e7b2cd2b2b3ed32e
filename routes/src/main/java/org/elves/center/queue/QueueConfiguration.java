package org.elves.center.queue;

import com.mongodb.client.MongoClient;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.elves.center.common.TaskEvents;
import org.elves.center.rpc.BrokerLink;
import org.elves.center.rpc.WatchTap;
import org.elves.config.ElvesConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Queue: batches of async tasks with dependencies, state in MongoDB (reference §4.2). */
public class QueueConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(QueueConfiguration.class);
    /** Bound by CommonConfiguration.configure, which runs before this one's. */
    private volatile BrokerLink brokerLink;

    @BindToRegistry("queueStore")
    public QueueStore queueStore(@BeanInject("elvesMongo") MongoClient mongo,
                                 @PropertyInject("elves.mongo.database") String database) {
        return new QueueStore(mongo, database);
    }

    /**
     * Since when results can reach this Queue: the broker link's up-since; "now" while it is down
     * (also for a Queue started during an outage), so no task's deadline runs out while its result
     * could not come.
     */
    private long resultsFlowSinceMs() {
        BrokerLink link = brokerLink;
        if (link == null) {
            return 0L;
        }
        return link.up() ? link.upSinceMs() : System.currentTimeMillis();
    }

    /**
     * The beans that share the per-agent slots, bound in the order they need each other: Camel
     * orders @BindToRegistry methods by a heuristic that a chain of them defeats now and then.
     */
    @Override
    public void configure(CamelContext context) {
        brokerLink = context.getRegistry().lookupByNameAndType("brokerLink", BrokerLink.class);
        Registry registry = context.getRegistry();
        QueueStore store = registry.lookupByNameAndType("queueStore", QueueStore.class);
        ElvesConfig config = registry.lookupByNameAndType("elvesConfig", ElvesConfig.class);
        // one per process: its locks keep the per-agent bound among this process's handlers
        AgentSlots slots = new AgentSlots(store, config, System::currentTimeMillis);
        TaskEvents events = new TaskEvents(registry.lookupByNameAndType("watchTap", WatchTap.class), "queue");
        registry.bind("queueEvents", events);
        QueueTaskResults results = new QueueTaskResults(store, System::currentTimeMillis, slots, events);
        registry.bind("queueAgentSlots", slots);
        registry.bind("queueTaskResults", results);
        registry.bind("queueLifecycle", new QueueLifecycle(store, config, System::currentTimeMillis, slots, events));
        registry.bind("queueSweep", new QueueSweep(store, config, System::currentTimeMillis, this::resultsFlowSinceMs, slots, results));
        try {
            store.ensureIndexes();
        } catch (RuntimeException e) {
            // slower lookups, not wrong ones: start anyway
            LOG.warn("queue indexes not created: {}", e.getMessage());
        }
    }
}

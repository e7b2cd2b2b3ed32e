package org.elves.center.cron;

import com.mongodb.client.MongoClient;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.elves.config.ElvesConfig;
import org.elves.config.LocalInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cron: center crons fired by the ZooKeeper-elected instance (route cron-tick, a master: Quartz
 * tick), agent-side crons handed to their agents; state in MongoDB (reference §4.3).
 */
public class CronConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(CronConfiguration.class);

    @BindToRegistry("cronStore")
    public CronStore cronStore(@BeanInject("elvesMongo") MongoClient mongo,
                               @PropertyInject("elves.mongo.database") String database) {
        return new CronStore(mongo, database);
    }

    @BindToRegistry("cronService")
    public CronService cronService(@BeanInject("cronStore") CronStore store,
                                   @BeanInject("elvesConfig") ElvesConfig config) {
        return new CronService(store, config, System::currentTimeMillis);
    }

    @BindToRegistry("cronFiring")
    public CronFiring cronFiring(@BeanInject("cronStore") CronStore store,
                                 @BeanInject("elvesConfig") ElvesConfig config) {
        return new CronFiring(store, config, System::currentTimeMillis);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        try {
            context.getRegistry().lookupByNameAndType("cronStore", CronStore.class).ensureIndexes();
        } catch (RuntimeException e) {
            LOG.warn("cron indexes not created: {}", e.getMessage());
        }
        ElvesConfig config = context.getRegistry().lookupByNameAndType("elvesConfig", ElvesConfig.class);
        // unique per Camel context: two Cron instances in one JVM (tests) are two members
        context.addService(leaderElection(config, LocalInstance.idByPid() + "-" + Integer.toHexString(System.identityHashCode(context))));
    }

    /** ZooKeeper's election when the center has ZooKeeper; else this instance leads alone. */
    private static CamelClusterService leaderElection(ElvesConfig config, String instanceId) {
        if (config.zookeeper().isEmpty()) {
            LOG.warn("cron: no ZooKeeper (elves.zookeeper.connect): this Cron instance fires every center cron; "
                    + "run only one such instance");
            return new SoleInstanceClusterService();
        }
        ZooKeeperClusterService election = new ZooKeeperClusterService();
        election.setId(instanceId);
        election.setCuratorFramework(config.zookeeper().get());
        election.setBasePath(config.zookeeperRoot() + "/cron/leader");
        return election;
    }
}

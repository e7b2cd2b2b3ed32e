package org.elves.center.cron;

import com.mongodb.client.MongoClient;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.elves.center.common.TaskEvents;
import org.elves.center.rpc.WatchTap;
import org.elves.config.ElvesConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

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

    @BindToRegistry("cronManagement")
    public CronManagement cronManagement(@BeanInject("cronStore") CronStore store,
                                         @BeanInject("elvesConfig") ElvesConfig config) {
        return new CronManagement(store, config, System::currentTimeMillis);
    }

    @BindToRegistry("cronRuns")
    public CronRuns cronRuns(@BeanInject("cronStore") CronStore store,
                             @BeanInject("elvesConfig") ElvesConfig config) {
        return new CronRuns(store, config, System::currentTimeMillis);
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
        TaskEvents events = new TaskEvents(context.getRegistry().lookupByNameAndType("watchTap", WatchTap.class), "cron");
        context.getRegistry().lookupByNameAndType("cronFiring", CronFiring.class).tellWatcher(events);
        context.getRegistry().lookupByNameAndType("cronRuns", CronRuns.class).tellWatcher(events);
        // unique per Camel context: two Cron instances in one JVM (tests, benchmark) are two members
        String member = context.getRegistry().lookupByNameAndType("elvesInstance", String.class);
        context.addService(leaderElection(config, member));
        // Quartz keeps schedulers in a JVM-wide repository by name: two Cron instances in one JVM
        // must not share (and shut down) one; RAM job store, no update check
        Map<String, Object> quartz = new HashMap<>();
        quartz.put("org.quartz.scheduler.instanceName", "elves-cron-" + member);
        quartz.put("org.quartz.threadPool.threadCount", "2");
        quartz.put("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        quartz.put("org.quartz.scheduler.skipUpdateCheck", "true");
        context.getComponent("quartz", QuartzComponent.class).setProperties(quartz);
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

package org.elves.center.heartbeat;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.elves.center.common.ThriftServerService;
import org.elves.config.ElvesConfig;
import org.elves.protocol.thrift.HeartbeatService;

/** Heartbeat: receives agent heartbeats over Thrift and answers online-status queries over MQ. */
public class HeartbeatConfiguration implements CamelConfiguration {

    @BindToRegistry("agentRegistry")
    public AgentRegistry agentRegistry(@BeanInject("elvesConfig") ElvesConfig config) {
        return new AgentRegistry(System::currentTimeMillis,
                () -> config.requireLong("elves.heartbeat.interval-seconds") * 1000L,
                () -> config.requireLong("elves.heartbeat.online-intervals"));
    }

    /** Started with the context's beans, so the warm-up counts from this process's start. */
    @BindToRegistry("heartbeatWarmup")
    public HeartbeatWarmup heartbeatWarmup(@BeanInject("elvesConfig") ElvesConfig config) {
        return new HeartbeatWarmup(System::currentTimeMillis,
                () -> (config.requireLong("elves.heartbeat.interval-seconds")
                        + config.requireLong("elves.heartbeat.warmup-slack-seconds")) * 1000L);
    }


    @BindToRegistry("agentCronTable")
    public AgentCronTable agentCronTable() {
        return new AgentCronTable();
    }

    @BindToRegistry("deployTable")
    public DeployTable deployTable() {
        return new DeployTable();
    }


    @PropertyInject("elves.heartbeat.host")
    private String host;
    @PropertyInject("elves.heartbeat.port")
    private int port;
    @PropertyInject("elves.heartbeat.max-threads")
    private int maxThreads;

    /**
     * The beans that need each other, bound in that order: Camel orders @BindToRegistry methods by
     * a heuristic that a chain of them defeats now and then.
     */
    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        ElvesConfig config = registry.lookupByNameAndType("elvesConfig", ElvesConfig.class);
        AgentRegistry agents = registry.lookupByNameAndType("agentRegistry", AgentRegistry.class);
        BeatSharing sharing = new BeatSharing(agents, registry.lookupByNameAndType("elvesInstance", String.class),
                System::currentTimeMillis, () -> config.requireLong("elves.heartbeat.share-ms"));
        registry.bind("beatSharing", sharing);
        registry.bind("heartbeatQueries", new HeartbeatQueries(agents,
                registry.lookupByNameAndType("heartbeatWarmup", HeartbeatWarmup.class), sharing));
        registry.bind("heartbeatAnswers", new HeartbeatAnswers(config,
                registry.lookupByNameAndType("agentCronTable", AgentCronTable.class),
                registry.lookupByNameAndType("deployTable", DeployTable.class)));
        HeartbeatService.Processor<HeartbeatReceiver> processor =
                new HeartbeatService.Processor<>(new HeartbeatReceiver(context.createProducerTemplate()));
        ThriftServerService server = new ThriftServerService("heartbeat", host, port, processor, maxThreads);
        context.getRegistry().bind("heartbeatThriftServer", server);
        context.addService(server);
    }
}

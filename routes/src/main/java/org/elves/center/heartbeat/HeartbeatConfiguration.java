package org.elves.center.heartbeat;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
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

    @BindToRegistry("beatSharing")
    public BeatSharing beatSharing(@BeanInject("agentRegistry") AgentRegistry registry,
                                   @BeanInject("elvesInstance") String instance,
                                   @BeanInject("elvesConfig") ElvesConfig config) {
        return new BeatSharing(registry, instance, System::currentTimeMillis,
                () -> config.requireLong("elves.heartbeat.share-ms"));
    }

    @BindToRegistry("heartbeatQueries")
    public HeartbeatQueries heartbeatQueries(@BeanInject("agentRegistry") AgentRegistry registry,
                                             @BeanInject("heartbeatWarmup") HeartbeatWarmup warmup,
                                             @BeanInject("beatSharing") BeatSharing sharing) {
        return new HeartbeatQueries(registry, warmup, sharing);
    }

    @BindToRegistry("agentCronTable")
    public AgentCronTable agentCronTable() {
        return new AgentCronTable();
    }

    @BindToRegistry("deployTable")
    public DeployTable deployTable() {
        return new DeployTable();
    }

    @BindToRegistry("heartbeatAnswers")
    public HeartbeatAnswers heartbeatAnswers(@BeanInject("elvesConfig") ElvesConfig config,
                                             @BeanInject("agentCronTable") AgentCronTable crons,
                                             @BeanInject("deployTable") DeployTable deployments) {
        return new HeartbeatAnswers(config, crons, deployments);
    }

    @PropertyInject("elves.heartbeat.host")
    private String host;
    @PropertyInject("elves.heartbeat.port")
    private int port;
    @PropertyInject("elves.heartbeat.max-threads")
    private int maxThreads;

    @Override
    public void configure(CamelContext context) throws Exception {
        HeartbeatService.Processor<HeartbeatReceiver> processor =
                new HeartbeatService.Processor<>(new HeartbeatReceiver(context.createProducerTemplate()));
        ThriftServerService server = new ThriftServerService("heartbeat", host, port, processor, maxThreads);
        context.getRegistry().bind("heartbeatThriftServer", server);
        context.addService(server);
    }
}

package org.elves.center.scheduler;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.elves.center.common.TaskEvents;
import org.elves.center.rpc.WatchTap;
import org.elves.center.common.CloseOnStop;
import org.elves.center.common.ThriftServerService;
import org.elves.config.ElvesConfig;
import org.elves.protocol.thrift.SchedulerService;

/** Scheduler: carries tasks to agents over Thrift and takes their async results on its own Thrift port. */
public class SchedulerConfiguration implements CamelConfiguration {

    @BindToRegistry("agentClient")
    public AgentClient agentClient(@PropertyInject("elves.scheduler.agent.connect-timeout-ms") int connectTimeoutMs,
                                   @PropertyInject("elves.scheduler.agent.max-idle-connections") int maxIdle) {
        return new AgentClient(connectTimeoutMs, maxIdle);
    }

    @BindToRegistry("taskRecords")
    public TaskRecords taskRecords() {
        return new TaskRecords();
    }

    @BindToRegistry("recentResults")
    public RecentResults recentResults(@PropertyInject("elves.scheduler.result-memory") int capacity) {
        return new RecentResults(capacity);
    }

    @BindToRegistry("processorRegistry")
    public ProcessorRegistry processorRegistry(@BeanInject("elvesConfig") ElvesConfig config) {
        return new ProcessorRegistry(config);
    }

    @PropertyInject("elves.scheduler.host")
    private String host;
    @PropertyInject("elves.scheduler.port")
    private int port;
    @PropertyInject("elves.scheduler.max-threads")
    private int maxThreads;

    /**
     * The beans that need each other, bound in that order: Camel orders @BindToRegistry methods by
     * a heuristic that a chain of them defeats now and then.
     */
    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        AgentClient agents = registry.lookupByNameAndType("agentClient", AgentClient.class);
        ElvesConfig config = registry.lookupByNameAndType("elvesConfig", ElvesConfig.class);
        OnlineCache cache = new OnlineCache(System::currentTimeMillis, () -> config.requireLong("elves.scheduler.online-cache-ms"));
        OnlineCheck online = new OnlineCheck(config, cache, System::currentTimeMillis);
        registry.bind("onlineCache", cache);
        registry.bind("onlineCheck", online);
        WatchTap tap = registry.lookupByNameAndType("watchTap", WatchTap.class);
        TaskEvents events = new TaskEvents(tap, "scheduler");
        registry.bind("schedulerEvents", events);
        registry.bind("realtimeJobs", new RealtimeJobs(agents, config,
                registry.lookupByNameAndType("taskRecords", TaskRecords.class), online, events));
        registry.bind("asyncJobs", new AsyncJobs(agents, config, online, events));
        registry.bind("taskCancels", new TaskCancels(agents, config, online));
        registry.bind("agentCronPush", new AgentCronPush(agents, config, online));
        registry.bind("processorDelivery", new ProcessorDelivery(
                registry.lookupByNameAndType("processorRegistry", ProcessorRegistry.class), config));
        context.addService(new CloseOnStop("agent connections", agents));
        SchedulerService.Processor<SchedulerReceiver> processor =
                new SchedulerService.Processor<>(new SchedulerReceiver(context.createProducerTemplate(), tap));
        ThriftServerService server = new ThriftServerService("scheduler", host, port, processor, maxThreads);
        context.getRegistry().bind("schedulerThriftServer", server);
        context.addService(server);
    }
}

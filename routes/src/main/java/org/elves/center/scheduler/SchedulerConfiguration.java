package org.elves.center.scheduler;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
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

    @BindToRegistry("onlineCache")
    public OnlineCache onlineCache(@BeanInject("elvesConfig") ElvesConfig config) {
        return new OnlineCache(System::currentTimeMillis, () -> config.requireLong("elves.scheduler.online-cache-ms"));
    }

    @BindToRegistry("onlineCheck")
    public OnlineCheck onlineCheck(@BeanInject("elvesConfig") ElvesConfig config,
                                   @BeanInject("onlineCache") OnlineCache cache) {
        return new OnlineCheck(config, cache, System::currentTimeMillis);
    }

    @BindToRegistry("realtimeJobs")
    public RealtimeJobs realtimeJobs(@BeanInject("agentClient") AgentClient agents,
                                     @BeanInject("elvesConfig") ElvesConfig config,
                                     @BeanInject("taskRecords") TaskRecords records,
                                     @BeanInject("onlineCheck") OnlineCheck online) {
        return new RealtimeJobs(agents, config, records, online);
    }

    @BindToRegistry("asyncJobs")
    public AsyncJobs asyncJobs(@BeanInject("agentClient") AgentClient agents,
                               @BeanInject("elvesConfig") ElvesConfig config,
                               @BeanInject("onlineCheck") OnlineCheck online) {
        return new AsyncJobs(agents, config, online);
    }

    @BindToRegistry("taskCancels")
    public TaskCancels taskCancels(@BeanInject("agentClient") AgentClient agents,
                                   @BeanInject("elvesConfig") ElvesConfig config,
                                   @BeanInject("onlineCheck") OnlineCheck online) {
        return new TaskCancels(agents, config, online);
    }

    @BindToRegistry("agentCronPush")
    public AgentCronPush agentCronPush(@BeanInject("agentClient") AgentClient agents,
                                       @BeanInject("elvesConfig") ElvesConfig config,
                                       @BeanInject("onlineCheck") OnlineCheck online) {
        return new AgentCronPush(agents, config, online);
    }

    @BindToRegistry("recentResults")
    public RecentResults recentResults(@PropertyInject("elves.scheduler.result-memory") int capacity) {
        return new RecentResults(capacity);
    }

    @BindToRegistry("processorRegistry")
    public ProcessorRegistry processorRegistry(@BeanInject("elvesConfig") ElvesConfig config) {
        return new ProcessorRegistry(config);
    }

    @BindToRegistry("processorDelivery")
    public ProcessorDelivery processorDelivery(@BeanInject("processorRegistry") ProcessorRegistry registry,
                                               @BeanInject("elvesConfig") ElvesConfig config) {
        return new ProcessorDelivery(registry, config);
    }

    @PropertyInject("elves.scheduler.host")
    private String host;
    @PropertyInject("elves.scheduler.port")
    private int port;
    @PropertyInject("elves.scheduler.max-threads")
    private int maxThreads;

    @Override
    public void configure(CamelContext context) throws Exception {
        AgentClient agents = context.getRegistry().lookupByNameAndType("agentClient", AgentClient.class);
        context.addService(new CloseOnStop("agent connections", agents));
        SchedulerService.Processor<SchedulerReceiver> processor =
                new SchedulerService.Processor<>(new SchedulerReceiver(context.createProducerTemplate()));
        ThriftServerService server = new ThriftServerService("scheduler", host, port, processor, maxThreads);
        context.getRegistry().bind("schedulerThriftServer", server);
        context.addService(server);
    }
}

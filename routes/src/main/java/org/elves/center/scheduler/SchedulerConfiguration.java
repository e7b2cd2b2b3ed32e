package org.elves.center.scheduler;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.elves.center.common.CloseOnStop;
import org.elves.config.ElvesConfig;

/** Scheduler: carries tasks to agents over Thrift. */
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
        return new OnlineCache(System::currentTimeMillis, () -> config.getLong("elves.scheduler.online-cache-ms", 2000));
    }

    @BindToRegistry("realtimeJobs")
    public RealtimeJobs realtimeJobs(@BeanInject("agentClient") AgentClient agents,
                                     @BeanInject("elvesConfig") ElvesConfig config,
                                     @BeanInject("taskRecords") TaskRecords records,
                                     @BeanInject("onlineCache") OnlineCache online) {
        return new RealtimeJobs(agents, config, records, online);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        AgentClient agents = context.getRegistry().lookupByNameAndType("agentClient", AgentClient.class);
        context.addService(new CloseOnStop("agent connections", agents));
    }
}

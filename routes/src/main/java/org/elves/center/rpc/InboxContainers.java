package org.elves.center.rpc;

import org.apache.camel.component.springrabbit.DefaultListenerContainerFactory;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * Creates the listener container of every inbox route (the spring-rabbitmq consumers): hands the
 * inbox to {@link BrokerTopology} before the container starts, and makes its consumers come back
 * within {@code elves.mq.recovery-ms} after a broker outage (spring-amqp retries a lost
 * connection or a missing queue every 5 s by default).
 */
public final class InboxContainers extends DefaultListenerContainerFactory {
    private final BrokerTopology topology;
    private final long recoveryMs;

    public InboxContainers(BrokerTopology topology, long recoveryMs) {
        this.topology = topology;
        this.recoveryMs = recoveryMs;
    }

    @Override
    public AbstractMessageListenerContainer createListenerContainer(SpringRabbitMQEndpoint endpoint) {
        if (endpoint.getQueues() != null) {
            for (String queue : endpoint.getQueues().split(",")) {
                topology.inbox(endpoint.getExchangeName(), queue.trim(), endpoint.getRoutingKey());
            }
        }
        AbstractMessageListenerContainer container = super.createListenerContainer(endpoint);
        container.setRecoveryInterval(recoveryMs);
        container.setFailedDeclarationRetryInterval(recoveryMs);
        return container;
    }
}

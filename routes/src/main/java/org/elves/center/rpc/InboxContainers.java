package org.elves.center.rpc;

import org.apache.camel.component.springrabbit.DefaultListenerContainerFactory;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * Creates the listener container of every inbox route (the spring-rabbitmq consumers): hands the
 * inbox to {@link BrokerTopology} before the container starts (an {@code exclusive} consumer's
 * queue is this process's own: a broadcast, {@link BrokerTopology#ownQueue}), and makes its consumers come back
 * within {@code elves.mq.recovery-ms} after a broker outage (spring-amqp retries a lost
 * connection or a missing queue every 5 s by default).
 */
public final class InboxContainers extends DefaultListenerContainerFactory {
    /** What a broadcast is worth after this long unread: nothing (a newer one follows). */
    static final long OWN_MESSAGE_TTL_MS = 30_000;
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
                if (endpoint.isExclusive()) {
                    // the one consumer of a queue of this process: a broadcast every instance hears
                    topology.ownQueue(endpoint.getExchangeName(), queue.trim(), endpoint.getRoutingKey(), OWN_MESSAGE_TTL_MS);
                } else {
                    topology.inbox(endpoint.getExchangeName(), queue.trim(), endpoint.getRoutingKey());
                }
            }
        }
        AbstractMessageListenerContainer container = super.createListenerContainer(endpoint);
        container.setRecoveryInterval(recoveryMs);
        container.setFailedDeclarationRetryInterval(recoveryMs);
        return container;
    }
}

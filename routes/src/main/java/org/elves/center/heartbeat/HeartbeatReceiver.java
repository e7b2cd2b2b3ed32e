package org.elves.center.heartbeat;

import org.apache.camel.ProducerTemplate;
import org.elves.protocol.thrift.AgentInfo;
import org.elves.protocol.thrift.HeartbeatService;

/** The Thrift face of the Heartbeat: each beat is handed to route heartbeat-received. */
public class HeartbeatReceiver implements HeartbeatService.Iface {
    static final String ROUTE = "direct:heartbeat.received";
    private final ProducerTemplate producer;

    public HeartbeatReceiver(ProducerTemplate producer) {
        this.producer = producer;
    }

    @Override
    public String heartbeatPackage(AgentInfo info) {
        return producer.requestBody(ROUTE, info, String.class);
    }
}

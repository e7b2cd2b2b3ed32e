package org.elves.center.scheduler;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.thrift.TApplicationException;
import org.elves.center.rpc.WatchTap;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.OutputChunk;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulerReceiverTest {
    private final List<Object> received = new CopyOnWriteArrayList<>();
    private CamelContext camel;
    private SchedulerReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(SchedulerReceiver.ROUTE).process(e -> {
                    Reinstruct r = e.getMessage().getBody(Reinstruct.class);
                    if ("broken".equals(r.getIns().getId())) {
                        throw new IllegalStateException("broker away");
                    }
                    received.add(r);
                });
            }
        });
        camel.start();
        receiver = new SchedulerReceiver(camel.createProducerTemplate(), WatchTap.off());
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void aReportIsHandedToTheRouteAndAcknowledged() throws Exception {
        Reinstruct r = new Reinstruct(new Instruct().setId("t1").setType("queue"), 1, 3, "ok");
        assertEquals("success", receiver.dataTransport(r));
        assertEquals(List.of(r), received);
        assertEquals("success", receiver.aliveCheck());
    }

    @Test
    void aReportNotForwardedFailsTheCallSoTheAgentRetries() {
        Reinstruct r = new Reinstruct(new Instruct().setId("broken").setType("queue"), 1, 3, "ok");
        TApplicationException e = assertThrows(TApplicationException.class, () -> receiver.dataTransport(r));
        assertTrue(e.getMessage().contains("broken") && e.getMessage().contains("broker away"), e.getMessage());
    }

    @Test
    void instructionTransitIsRefusedWithTheWayToRunRealtimeTasks() {
        TApplicationException e = assertThrows(TApplicationException.class, () -> receiver.instructionTransit(new Instruct()));
        assertEquals(TApplicationException.UNKNOWN_METHOD, e.getType());
        assertTrue(e.getMessage().contains("/api/v2/rt/exec"));
    }

    @Test
    void outputIsAlwaysTakenAndBadChunksAreSkipped() {
        OutputChunk chunk = new OutputChunk("t1", 1, "stdout", "hello\n", 1_700_000_000_000L);
        assertEquals("success", receiver.outputTransport(List.of(chunk, new OutputChunk().setSeq(2))));
        assertEquals("success", receiver.outputTransport(java.util.Arrays.asList(null, chunk.setDropped(10))));
        assertEquals("success", receiver.outputTransport(null));
    }
}

package org.elves.center.watcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.rabbitmq.client.Channel;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.elves.center.rpc.WatchTap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A batch is written, then acknowledged, once it holds batch-size copies or prefetch tap messages. */
class TapBatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final MongoClient client = MongoClients.create(server.bindAndGetConnectionString());
    private final WatcherStore store = new WatcherStore(client, "elves", 1024, 1024);
    private final DefaultCamelContext camel = new DefaultCamelContext();
    /** The broker's side: each basicAck as "tag/multiple". */
    private final List<String> acks = new ArrayList<>();
    private final Channel channel = (Channel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Channel.class},
            (proxy, method, args) -> {
                if (method.getName().equals("basicAck")) {
                    acks.add(args[0] + "/" + args[1]);
                }
                return null;
            });
    private int seq;
    /** Delivery tags, one channel's: 1, 2, ... */
    private int deliveries;

    @AfterEach
    void stop() {
        client.close();
        server.shutdown();
    }

    @Test
    void aBatchIsFullAtThePrefetchSoSmallBundlesDoNotWaitForTheTimer() throws Exception {
        TapBatch batch = new TapBatch(store, 500, 3);
        batch.take(bundle(1));
        batch.take(bundle(1));
        assertEquals(0, store.messageCount(), "two tap messages: not full yet");
        assertEquals(List.of(), acks);

        batch.take(bundle(1));
        assertEquals(3, store.messageCount(), "the third is all the broker hands out before an ack: written");
        assertEquals(List.of("3/true"), acks, "then acknowledged at once, up to the last");
        assertEquals(3, batch.recorded());
    }

    @Test
    void aBatchIsFullAtItsSizeInCopies() throws Exception {
        TapBatch batch = new TapBatch(store, 5, 100);
        batch.take(bundle(4));
        assertEquals(0, store.messageCount());
        batch.take(bundle(4));
        assertEquals(8, store.messageCount(), "eight copies of two bundles, past the batch size of five");
        assertEquals(List.of("2/true"), acks);
    }

    @Test
    void whatIsNotFullIsWrittenByTheTimersFlush() throws Exception {
        TapBatch batch = new TapBatch(store, 500, 8);
        batch.take(bundle(2));
        batch.flush();
        assertEquals(2, store.messageCount());
        assertEquals(List.of("1/true"), acks);
    }

    /** One tap message with {@code copies} copies of rpc calls, delivered with the next tag. */
    private Exchange bundle(int copies) throws Exception {
        List<Map<String, Object>> bundle = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            Map<String, Object> envelope = Map.of("from", "openapi", "to", "scheduler", "func", "realtime",
                    "mqkey", "openapi.scheduler.realtime." + (++seq), "data", Map.of("id", "A10000000000000" + (seq % 10)));
            bundle.add(Map.of("k", WatchTap.CALL, "r", "scheduler.realtime", "t", 1796522353440L + seq, "b", envelope));
        }
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(WatchTap.KIND, WatchTap.BUNDLE);
        exchange.getMessage().setHeader("CamelSpringRabbitmqDeliveryTag", (long) ++deliveries);
        exchange.setProperty("CamelSpringRabbitmqChannel", channel);
        exchange.getMessage().setBody(JSON.writeValueAsBytes(bundle));
        return exchange;
    }
}

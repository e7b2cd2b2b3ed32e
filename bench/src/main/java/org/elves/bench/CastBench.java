package org.elves.bench;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.elves.center.rpc.BrokerLink;
import org.elves.center.rpc.CastPublisher;
import org.elves.center.rpc.RpcCodec;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.util.Arrays;
import java.util.Map;

/**
 * What a cast's durability costs (issue 11): one cast at a time, as the rpc-cast route sends
 * them, published plainly (what rpc-cast did before) and the way it does now (persistent,
 * mandatory, waiting for the broker's confirm: CastPublisher). Against the local RabbitMQ, on an
 * exchange and a durable queue of its own, deleted at the end; nothing consumes during the run.
 */
public final class CastBench {

    public static void main(String[] args) throws Exception {
        Map<String, Integer> o = Options.parse(args, Map.of("casts", 2000, "rounds", 3, "port", 5672));
        String unique = "castbench-" + Long.toHexString(System.nanoTime());
        CachingConnectionFactory plainFactory = new CachingConnectionFactory("127.0.0.1", o.get("port"));
        CachingConnectionFactory confirmFactory = new CachingConnectionFactory("127.0.0.1", o.get("port"));
        confirmFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        confirmFactory.setPublisherReturns(true);
        RabbitAdmin admin = new RabbitAdmin(plainFactory);
        BrokerLink link = new BrokerLink(confirmFactory, 1000);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            TopicExchange exchange = new TopicExchange(unique, true, false);
            Queue queue = new Queue(unique, true, false, false);
            admin.declareExchange(exchange);
            admin.declareQueue(queue);
            admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with("*.bench.#"));
            confirmFactory.addConnectionListener(link);
            confirmFactory.createConnection();
            CastPublisher confirmed = new CastPublisher(new RabbitTemplate(confirmFactory), link, unique, 5000, 2000);
            RabbitTemplate plain = new RabbitTemplate(plainFactory);
            byte[] body = ("{\"mqkey\":\"x\",\"mqtype\":\"cast\",\"body\":{\"id\":\"" + "0".repeat(16) + "\"}}").getBytes();
            System.out.printf("# Elves cast benchmark (Java %s): %d casts one at a time per round, %d-byte body%n",
                    System.getProperty("java.version"), o.get("casts"), body.length);
            for (int round = 1; round <= o.get("rounds"); round++) {
                long[] before = time(o.get("casts"), () -> plain.send(unique, "queue.bench.f",
                        new Message(body, new MessageProperties())));
                Exchange cast = new DefaultExchange(camel);
                cast.setProperty(RpcCodec.CALL_ROUTING_KEY, "queue.bench.f");
                cast.getMessage().setBody(body);
                long[] now = time(o.get("casts"), () -> confirmed.publish(cast));
                System.out.printf("round %d: plain publish %s | persistent+mandatory+confirmed %s%n",
                        round, summary(before), summary(now));
                admin.purgeQueue(unique, false);
            }
        } finally {
            admin.deleteQueue(unique);
            admin.deleteExchange(unique);
            plainFactory.destroy();
            // the link closes its connection
            link.stop();
        }
    }

    private static long[] time(int n, Cast cast) throws Exception {
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            cast.send();
            micros[i] = (System.nanoTime() - t0) / 1000;
        }
        Arrays.sort(micros);
        return micros;
    }

    private static String summary(long[] sorted) {
        double mean = Arrays.stream(sorted).average().orElse(0);
        return String.format("mean %.0f µs, p50 %d µs, p99 %d µs", mean, sorted[sorted.length / 2],
                sorted[(int) (sorted.length * 0.99)]);
    }

    @FunctionalInterface
    private interface Cast {
        void send() throws Exception;
    }
}

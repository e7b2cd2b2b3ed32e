package org.elves.center.common;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.spi.Registry;
import org.elves.center.rpc.BrokerLink;
import org.elves.center.rpc.BrokerTopology;
import org.elves.center.rpc.CastPublisher;
import org.elves.center.rpc.InboxAck;
import org.elves.center.rpc.InboxContainers;
import org.elves.center.rpc.RpcCodec;
import org.elves.center.rpc.WatchTap;
import org.elves.config.ElvesConfig;
import org.elves.config.LocalInstance;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Beans every component uses: the RabbitMQ connection with its topology and link state, the rpc
 * codec and cast publisher, the inbox acknowledger, and the MongoDB client of task records and
 * audit. The spring-rabbitmq component is set up here so that every inbox is declared by
 * {@link BrokerTopology} (durable, again on every connection) and recovers quickly.
 */
public class CommonConfiguration implements CamelConfiguration {
    private static final AtomicInteger CONTEXTS = new AtomicInteger();
    @PropertyInject("elves.mq.exchange")
    String exchange;
    @PropertyInject("elves.mq.recovery-ms")
    long recoveryMs;
    @PropertyInject("elves.mq.shutdown-timeout-ms")
    long shutdownTimeoutMs;
    @PropertyInject("elves.mq.requeue-delay-ms")
    long requeueDelayMs;
    @PropertyInject("elves.mq.confirm-timeout-ms")
    long confirmTimeoutMs;
    @PropertyInject("elves.rpc.cast-retry-ms")
    long castRetryMs;
    @PropertyInject("elves.rpc.timeout-ms")
    long rpcTimeoutMs;
    @PropertyInject("elves.watch.tap")
    boolean watchTap;
    @PropertyInject("elves.watch.buffer")
    int watchBuffer;
    @PropertyInject("elves.watch.linger-ms")
    long watchLingerMs;

    @BindToRegistry("rabbitConnectionFactory")
    public CachingConnectionFactory rabbitConnectionFactory(
            @PropertyInject("elves.mq.host") String host,
            @PropertyInject("elves.mq.port") int port,
            @PropertyInject("elves.mq.username") String username,
            @PropertyInject("elves.mq.password") String password,
            @PropertyInject("elves.mq.channel-cache-size") int channelCacheSize,
            @PropertyInject("elves.mq.connection-timeout-ms") int connectionTimeoutMs) {
        CachingConnectionFactory factory = new CachingConnectionFactory(host, port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setChannelCacheSize(channelCacheSize);
        factory.setConnectionNameStrategy(f -> "elves-center");
        // an unreachable broker must fail a call in about a second, not amqp-client's 60 s
        factory.setConnectionTimeout(connectionTimeoutMs);
        // casts wait for the broker's confirm and learn of an unroutable message (CastPublisher)
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        return factory;
    }

    /**
     * Threads for inbox handlers that block (the Scheduler's: a realtime task holds one for its
     * whole run), so the broker's listener takes the next message at once. Started when all are
     * busy, up to the max (GrowingPool).
     */
    @BindToRegistry("elvesHandlers")
    public ExecutorService elvesHandlers(@PropertyInject("elves.mq.handler-max-threads") int maxThreads) {
        AtomicInteger count = new AtomicInteger();
        return GrowingPool.create(maxThreads, task -> {
            Thread thread = new Thread(task, "elves-handler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * This process's name among the instances of its components (its own broadcast queues, its
     * ZooKeeper memberships), also the property {@code elves.instance} for the routes: the
     * configured one, else host:pid-n, unique even for two centers in one JVM (tests, benchmarks).
     */
    @BindToRegistry("elvesInstance")
    public String elvesInstance(@BeanInject("elvesConfig") ElvesConfig config) {
        return config.optional("elves.instance").orElseGet(() -> LocalInstance.idByPid() + "-" + CONTEXTS.incrementAndGet());
    }

    @BindToRegistry("elvesMongo")
    public MongoClient elvesMongo(@PropertyInject("elves.mongo.uri") String uri) {
        return MongoClients.create(uri);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        context.getPropertiesComponent().addOverrideProperty("elves.instance",
                registry.lookupByNameAndType("elvesInstance", String.class));
        CachingConnectionFactory factory = registry.lookupByNameAndType("rabbitConnectionFactory", CachingConnectionFactory.class);
        BrokerTopology topology = new BrokerTopology(new RabbitAdmin(factory), exchange);
        BrokerLink link = new BrokerLink(factory, recoveryMs);
        // before any connection exists, and the topology first: the link is up once the inboxes are declared
        factory.addConnectionListener(topology);
        factory.addConnectionListener(link);
        InboxAck inboxAck = new InboxAck(requeueDelayMs);
        registry.bind("brokerTopology", topology);
        registry.bind("brokerLink", link);
        WatchTap tap = watchTap
                ? new WatchTap(new RabbitTemplate(factory), WatchTap.exchangeOf(exchange), true, watchBuffer, recoveryMs,
                        watchLingerMs)
                : WatchTap.off();
        if (tap.enabled()) {
            topology.exchange(WatchTap.exchangeOf(exchange));
        }
        registry.bind("watchTap", tap);
        registry.bind("rpc", new RpcCodec("center", rpcTimeoutMs, link, tap));
        registry.bind("castPublisher", new CastPublisher(new RabbitTemplate(factory), link, exchange, castRetryMs, confirmTimeoutMs));
        registry.bind("inboxAck", inboxAck);

        SpringRabbitMQComponent rabbit = context.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class);
        rabbit.setConnectionFactory(factory);
        rabbit.setAutoDeclare(false);
        rabbit.setListenerContainerFactory(new InboxContainers(topology, recoveryMs));
        // each inbox container waits this long for its consumers at stop (spring-amqp: 5 s each)
        rabbit.setShutdownTimeout(shutdownTimeoutMs);

        // connect now, which declares the exchange: a broker that is not there fails the start
        factory.createConnection();
        MongoClient mongo = registry.lookupByNameAndType("elvesMongo", MongoClient.class);
        // the link closes the connection when it stops
        context.addService(link);
        context.addService(new CloseOnStop("inbox requeue timer", inboxAck));
        // after the link's stop in reverse order: copies of the last messages still go out
        context.addService(new CloseOnStop("watch tap", tap));
        context.addService(new CloseOnStop("mongodb client", mongo::close));
        ExecutorService handlers = registry.lookupByNameAndType("elvesHandlers", ExecutorService.class);
        context.addService(new CloseOnStop("handler threads", handlers::shutdown));
    }
}

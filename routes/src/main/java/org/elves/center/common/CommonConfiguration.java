package org.elves.center.common;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Beans every component uses: the RabbitMQ connection (autowired by spring-rabbitmq), the one
 * rpc codec, and the MongoDB client of task records and audit.
 */
public class CommonConfiguration implements CamelConfiguration {

    @BindToRegistry("rabbitConnectionFactory")
    public CachingConnectionFactory rabbitConnectionFactory(
            @PropertyInject("elves.mq.host") String host,
            @PropertyInject("elves.mq.port") int port,
            @PropertyInject("elves.mq.username") String username,
            @PropertyInject("elves.mq.password") String password,
            @PropertyInject("elves.mq.channel-cache-size") int channelCacheSize) {
        CachingConnectionFactory factory = new CachingConnectionFactory(host, port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setChannelCacheSize(channelCacheSize);
        factory.setConnectionNameStrategy(f -> "elves-center");
        return factory;
    }

    @BindToRegistry("rpc")
    public RpcCodec rpc(@PropertyInject("elves.rpc.timeout-ms") long timeoutMs) {
        return new RpcCodec("center", timeoutMs);
    }

    @BindToRegistry("elvesMongo")
    public MongoClient elvesMongo(@PropertyInject("elves.mongo.uri") String uri) {
        return MongoClients.create(uri);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // Producers may publish before any consumer declared the exchange: declare it up front,
        // exactly as the spring-rabbitmq consumers do (durable topic), so the two never disagree.
        CachingConnectionFactory factory = context.getRegistry()
                .lookupByNameAndType("rabbitConnectionFactory", CachingConnectionFactory.class);
        String exchange = context.resolvePropertyPlaceholders("{{elves.mq.exchange}}");
        new RabbitAdmin(factory).declareExchange(new TopicExchange(exchange, true, false));
        MongoClient mongo = context.getRegistry().lookupByNameAndType("elvesMongo", MongoClient.class);
        context.addService(new CloseOnStop("rabbitmq connection", factory::destroy));
        context.addService(new CloseOnStop("mongodb client", mongo::close));
    }
}

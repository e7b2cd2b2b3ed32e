package org.elves.center.openapi;

import com.mongodb.client.MongoClient;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.elves.center.common.TaskEvents;
import org.elves.center.rpc.WatchTap;
import org.elves.config.ElvesConfig;

/** OpenAPI: the signed REST entry of the center (reference §3). */
public class OpenApiConfiguration implements CamelConfiguration {

    @BindToRegistry("apiKeys")
    public SupervisorKeys apiKeys(@BeanInject("elvesConfig") ElvesConfig config) {
        return new SupervisorKeys(config);
    }

    @BindToRegistry("adminPairRegistration")
    public AdminPairRegistration adminPairRegistration(@BeanInject("elvesConfig") ElvesConfig config) {
        return new AdminPairRegistration(config);
    }

    @BindToRegistry("apiNonces")
    public SharedNonces apiNonces(@BeanInject("elvesMongo") MongoClient mongo,
                                  @PropertyInject("elves.mongo.database") String database) {
        return new SharedNonces(mongo, database);
    }

    @BindToRegistry("apiGuard")
    public ApiGuard apiGuard(@BeanInject("apiKeys") SupervisorKeys keys, @BeanInject("apiNonces") SharedNonces shared,
                             @BeanInject("elvesConfig") ElvesConfig config) {
        return new ApiGuard(keys, config, () -> System.currentTimeMillis() / 1000,
                new NonceCache(config.requireInt("elves.openapi.sign.nonce-cache-size")),
                config.requireBoolean("elves.openapi.sign.shared-nonces") ? shared : null);
    }

    @BindToRegistry("apiEndpoints")
    public ApiEndpoints apiEndpoints(@BeanInject("elvesConfig") ElvesConfig config) {
        return new ApiEndpoints(config);
    }

    @BindToRegistry("apiDocument")
    public ApiDocument apiDocument(@BeanInject("elvesConfig") ElvesConfig config) {
        return new ApiDocument(config);
    }

    @BindToRegistry("apiAnswers")
    public ApiAnswers apiAnswers() {
        return new ApiAnswers();
    }


    @BindToRegistry("logsApi")
    public LogsApi logsApi() {
        return new LogsApi();
    }

    @BindToRegistry("logFollow")
    public LogFollow logFollow(org.apache.camel.CamelContext camel,
                               @PropertyInject("elves.openapi.logs.follow-poll-ms") long pollMs,
                               @PropertyInject("elves.openapi.logs.follow-wait-ms") long waitMs) {
        return new LogFollow(camel.createProducerTemplate(), pollMs, waitMs);
    }

    @BindToRegistry("infoApi")
    public InfoApi infoApi() {
        return new InfoApi();
    }

    @BindToRegistry("queueApi")
    public QueueApi queueApi() {
        return new QueueApi();
    }

    @BindToRegistry("cronApi")
    public CronApi cronApi() {
        return new CronApi();
    }

    @BindToRegistry("adminApi")
    public AdminApi adminApi() {
        return new AdminApi();
    }

    @BindToRegistry("apiResponseHeaders")
    public ResponseHeaderFilter apiResponseHeaders() {
        return new ResponseHeaderFilter();
    }

    @BindToRegistry("apiResponses")
    public ApiResponses apiResponses(@BeanInject("elvesConfig") ElvesConfig config) {
        return new ApiResponses(config);
    }

    /** Beans that tell the Watcher: bound once the tap exists (CommonConfiguration.configure). */
    @Override
    public void configure(org.apache.camel.CamelContext context) {
        var registry = context.getRegistry();
        TaskEvents events = new TaskEvents(registry.lookupByNameAndType("watchTap", WatchTap.class), "openapi");
        registry.bind("realtimeApi", new RealtimeApi(registry.lookupByNameAndType("elvesConfig", ElvesConfig.class),
                registry.lookupByNameAndType("apiNonces", SharedNonces.class), events));
    }
}

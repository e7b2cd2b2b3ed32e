package org.elves.center.openapi;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.elves.config.ElvesConfig;

/** OpenAPI: the signed REST entry of the center (reference §3). */
public class OpenApiConfiguration implements CamelConfiguration {

    @BindToRegistry("apiKeys")
    public SupervisorKeys apiKeys(@BeanInject("elvesConfig") ElvesConfig config) {
        return new SupervisorKeys(config);
    }

    @BindToRegistry("adminApi")
    public AdminApi adminApi() {
        return new AdminApi();
    }

    @BindToRegistry("apiGuard")
    public ApiGuard apiGuard(@BeanInject("apiKeys") SupervisorKeys keys, @BeanInject("elvesConfig") ElvesConfig config) {
        return new ApiGuard(keys, config, () -> System.currentTimeMillis() / 1000);
    }

    @BindToRegistry("realtimeApi")
    public RealtimeApi realtimeApi(@BeanInject("elvesConfig") ElvesConfig config) {
        return new RealtimeApi(config);
    }

    @BindToRegistry("infoApi")
    public InfoApi infoApi(@BeanInject("elvesConfig") ElvesConfig config) {
        return new InfoApi(config);
    }

    @BindToRegistry("queueApi")
    public QueueApi queueApi(@BeanInject("elvesConfig") ElvesConfig config) {
        return new QueueApi(config);
    }

    @BindToRegistry("cronApi")
    public CronApi cronApi(@BeanInject("elvesConfig") ElvesConfig config) {
        return new CronApi(config);
    }

    @BindToRegistry("apiResponseHeaders")
    public ResponseHeaderFilter apiResponseHeaders() {
        return new ResponseHeaderFilter();
    }

    @BindToRegistry("apiResponses")
    public ApiResponses apiResponses(@BeanInject("elvesConfig") ElvesConfig config) {
        return new ApiResponses(config);
    }
}

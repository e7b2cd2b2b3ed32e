package org.elves.config.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.elves.config.ElvesConfig;
import org.junit.jupiter.api.Test;

/** {{elves.x}} placeholders in a real Camel context and route resolve from ElvesConfig. */
class ElvesPropertiesSourceTest {
    @Test
    void placeholdersInRoutesResolveFromElvesConfig() throws Exception {
        try (ElvesConfig config = ElvesConfig.builder()
                .environment(Map.of())
                .systemProperties(new Properties())
                .overrides(Map.of("elves.test.endpoint", "elves-in", "elves.openapi.port", "9091"))
                .build();
                CamelContext camel = new DefaultCamelContext()) {
            ElvesPropertiesSource.install(camel, config);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:{{elves.test.endpoint}}")
                            .setBody(simple("{{elves.mq.host}}:{{elves.mq.port}}/{{elves.mq.exchange}}"));
                }
            });
            camel.start();

            assertEquals("127.0.0.1:5672/elves",
                    camel.createProducerTemplate().requestBody("direct:elves-in", "", String.class));
            assertEquals("9091", camel.resolvePropertyPlaceholders("{{elves.openapi.port}}"));
            // a default that is empty (elves.mq.queue-prefix=) is a value: routes need no {{key:}} fallback
            assertEquals("cron", camel.resolvePropertyPlaceholders("{{elves.zookeeper.connect}}cron"));
            assertEquals("fallback", camel.resolvePropertyPlaceholders("{{elves.not.set:fallback}}"));
            assertThrows(IllegalArgumentException.class, () -> camel.resolvePropertyPlaceholders("{{elves.not.set}}"));
        }
    }
}

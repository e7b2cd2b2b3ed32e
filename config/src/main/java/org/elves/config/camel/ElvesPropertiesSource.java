package org.elves.config.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.spi.PropertiesSource;
import org.elves.config.ElvesConfig;

/**
 * Lets Camel resolve {@code {{elves.x}}} placeholders from {@link ElvesConfig}. Each lookup reads
 * the current view, so placeholders resolved after a live change see the new value (endpoints
 * already built keep the value they were built with).
 *
 * <p>Deliberately not a {@code LoadablePropertiesSource}: Camel calls {@code loadProperties()} on
 * every successful lookup of such a source just to report where a value came from, which would
 * copy the whole config per placeholder.
 *
 * <p>camel-api is a {@code provided} dependency of elves-config: this class is only loaded in
 * processes that run Camel, and the agent and CLI stay free of it.
 */
public final class ElvesPropertiesSource implements PropertiesSource, Ordered {
    /** Ahead of Camel's file and classpath sources, so the Elves layers decide {@code elves.*} keys. */
    public static final int DEFAULT_ORDER = 100;

    private final ElvesConfig config;
    private final int order;

    public ElvesPropertiesSource(ElvesConfig config) {
        this(config, DEFAULT_ORDER);
    }

    public ElvesPropertiesSource(ElvesConfig config, int order) {
        this.config = config;
        this.order = order;
    }

    /** Adds a source for {@code config} to the context's properties component and returns it. */
    public static ElvesPropertiesSource install(CamelContext context, ElvesConfig config) {
        ElvesPropertiesSource source = new ElvesPropertiesSource(config);
        context.getPropertiesComponent().addPropertiesSource(source);
        return source;
    }

    @Override
    public String getName() {
        return "elves-config";
    }

    @Override
    public String getProperty(String name) {
        return config.get(name);
    }

    @Override
    public int getOrder() {
        return order;
    }
}

package org.elves.camelk;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Ordered;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.config.InstanceRegistration;
import org.elves.config.camel.ElvesPropertiesSource;
import org.elves.protocol.JvmDefaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What {@link Center#start} does around Camel Main, for a Camel Main that someone else runs: a
 * Camel K Integration (deploy/camel-k), or any Camel Main given {@code camel.main.configuration-classes}.
 * It must be the first configuration class, before {@code CommonConfiguration} and the
 * components' configurations, because they inject {@code elvesConfig} and {@code elves.*}
 * placeholders:
 * <ul>
 * <li>{@code elves.components} (a Camel property: {@code heartbeat}, {@code scheduler,queue}, ...)
 * names the components, hence the defaults files read;</li>
 * <li>the {@code elves.*} Camel properties (the Integration's {@code camel} trait) are the config
 * file layer of {@link ElvesConfig}: ZooKeeper, {@code ELVES_*} variables (secrets) and {@code -D}
 * options override them, as they override {@code elves.config.file} in a center started by
 * {@code elves center};</li>
 * <li>the config reader is bound as {@code elvesConfig} and resolves {@code {{elves.*}}};</li>
 * <li>the HTTP server of OpenAPI (or of a Supervisor without OpenAPI) is added, and each
 * component is registered in ZooKeeper once the context has started, until it stops.</li>
 * </ul>
 * Routes are not chosen here: Camel K loads the Integration's sources (the component's and
 * common/'s YAML files, embedded verbatim).
 */
public class ElvesIntegration implements CamelConfiguration, CamelContextAware {
    private static final Logger LOG = LoggerFactory.getLogger(ElvesIntegration.class);
    /** The Camel property naming this process's components. */
    public static final String COMPONENTS = "elves.components";

    private CamelContext context;
    private List<Component> components;
    private ElvesConfig config;

    /**
     * Called when Camel Main creates this configuration, before any configuration is injected:
     * from here on {@code elvesConfig} and the {@code elves.*} placeholders resolve.
     */
    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
        PropertiesComponent properties = camelContext.getPropertiesComponent();
        String names = properties.resolveProperty(COMPONENTS)
                .orElseThrow(() -> new IllegalStateException("set the Camel property " + COMPONENTS
                        + " (e.g. heartbeat) for " + ElvesIntegration.class.getName()));
        this.components = Component.parse(names);
        this.config = configOf(Center.configFor(components), properties.loadProperties(key -> key.startsWith("elves.")));
        camelContext.getRegistry().bind("elvesConfig", config);
        // first of all sources: the file holding the Integration's properties has the order
        // ElvesPropertiesSource takes by default (100), and would hide ZooKeeper's live values
        properties.addPropertiesSource(new ElvesPropertiesSource(config, Ordered.HIGHEST));
        LOG.info("Elves integration: components {}, {}", components.stream().map(Component::id).toList(), config);
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        if (!JvmDefaults.asyncStepsPooled()) {
            LOG.warn("the common ForkJoinPool has parallelism 1: every rpc reply starts a thread; "
                    + "give the JVM -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 (the jvm trait's options)");
        }
        Lifecycle lifecycle = new Lifecycle();
        // added before CommonConfiguration's services, so stopped after them: the config reader
        // (and its ZooKeeper session) outlives everything that reads it
        camelContext.addService(lifecycle);
        Center.requireFreeApiPort(config, components);
        Center.httpServer(config, components).ifPresent(server -> server.addTo(camelContext));
        camelContext.addStartupListener(lifecycle);
    }

    /** The config reader with these Camel properties as its file layer. */
    static ElvesConfig configOf(ElvesConfig.Builder builder, Properties elvesProperties) {
        Path file = null;
        try {
            // the builder reads a file layer from a file only; read at build, so gone right after
            file = Files.createTempFile("elves-integration-", ".properties");
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                elvesProperties.store(out, "the Integration's elves.* properties");
            }
            return builder.propertiesFile(file).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand the Integration's properties to the config reader", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("temporary properties file {} not deleted: {}", file, e.getMessage());
                }
            }
        }
    }

    /** Registers the components once the routes run; removes them and closes the config at stop. */
    private final class Lifecycle extends ServiceSupport implements StartupListener {
        private final List<InstanceRegistration> registrations = new ArrayList<>();

        @Override
        public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            // registered when fully started (below), as Center registers after main.start()
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
            synchronized (registrations) {
                registrations.addAll(Center.register(config, components));
            }
            LOG.info("Elves integration started: {}", components.stream().map(Component::id).toList());
        }

        @Override
        protected void doStop() {
            synchronized (registrations) {
                registrations.forEach(InstanceRegistration::close);
                registrations.clear();
            }
            config.close();
        }
    }
}

package org.elves.center;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.elves.center.common.CloseOnStop;
import org.elves.center.common.CommonConfiguration;
import org.elves.center.http.CenterHttpServer;
import org.elves.config.ElvesConfig;
import org.elves.config.camel.ElvesPropertiesSource;
import org.elves.protocol.Envelope;
import org.elves.protocol.TaskIds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One component as {@link Center} assembles it, for a route test run by camel-test-main-junit5:
 * its CamelConfiguration and CommonConfiguration, the config reader with the component's
 * defaults, and only the route files of its folder and of common/. MongoDB is an in-memory mongo-java-server; the RabbitMQ connection every start makes
 * (CommonConfiguration connects) uses names of the test's own, yet no message crosses it: the test
 * hands requests to rpc-serve as the inbox would, and mocks take what the component sends onward.
 *
 * <p>The test class declares {@code mockEndpointsAndSkip = ComponentRoutes.OUTGOING}, replaces its
 * inbox's {@code from} (spring-rabbitmq) with a direct endpoint nobody sends to, and passes its
 * {@code @Configure} method's argument to {@link #configure}. Everything made here ends with the
 * Camel context.
 */
public final class ComponentRoutes {
    /** rpc-call and rpc-cast: intercepted and skipped, their mocks answer instead of the broker. */
    public static final String OUTGOING = "direct:rpc-ca*";

    /** The components that open a port of their own: Thrift (agents) or HTTP (packages, admin page, the API). */
    private static final List<Component> PORT_OWNERS = List.of(Component.HEARTBEAT, Component.SCHEDULER, Component.SUPERVISOR, Component.OPENAPI);

    private final String id;
    private final Class<? extends CamelConfiguration> configuration;
    /** Its own route files, as classpath locations (common/'s are always added). */
    private final List<String> ownRouteFiles;
    private final String prefix = "rt" + TaskIds.next().substring(0, 6).toLowerCase() + "-";
    private final MongoServer mongo = new MongoServer(new MemoryBackend());
    private final ElvesConfig config;
    private boolean httpServer;
    private CamelContext context;

    public ComponentRoutes(Component component, Map<String, String> settings) {
        this(component.id(), component.configuration(), routeFilesOf(component.id()), PORT_OWNERS.contains(component), settings);
    }

    /**
     * A component that is not (yet) in {@link Component}, such as the worked example of
     * docs/decisions.md (example/notes): its id (defaults file elves-&lt;id&gt;-defaults.properties),
     * its configuration and its route files as classpath locations.
     */
    public ComponentRoutes(String id, Class<? extends CamelConfiguration> configuration, List<String> ownRouteFiles,
                           Map<String, String> settings) {
        this(id, configuration, ownRouteFiles, false, settings);
    }

    private ComponentRoutes(String id, Class<? extends CamelConfiguration> configuration, List<String> ownRouteFiles,
                            boolean portOwner, Map<String, String> settings) {
        this.id = id;
        this.configuration = configuration;
        this.ownRouteFiles = ownRouteFiles;
        mongo.bind("127.0.0.1", 0);
        Map<String, String> all = new HashMap<>(settings);
        all.put("elves.mq.exchange", prefix + "elves");
        all.put("elves.mq.queue-prefix", prefix);
        all.put("elves.mongo.uri", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort());
        if (portOwner) {
            // a free port, so that a test may run beside a center (or another test)
            all.putIfAbsent("elves." + id + ".host", "127.0.0.1");
            all.putIfAbsent("elves." + id + ".port", String.valueOf(freePort()));
        }
        this.config = ElvesConfig.builder().components(List.of("center", id)).overrides(all).build();
    }

    /** Also the HTTP server Center gives a Supervisor (its platform-http routes need one). */
    public ComponentRoutes withHttpServer() {
        httpServer = true;
        return this;
    }

    public ElvesConfig config() {
        return config;
    }

    /**
     * For the test's {@code @Configure} method: what Center does before Camel Main configures. The
     * configurations are added here as instances, not as classes in {@code @CamelMainTest}: Camel
     * Main injects classes first, and instances in the order they were added, while the config
     * reader must be bound and resolve placeholders before CommonConfiguration's injections
     * ({@link ConfigReaderFirst}).
     */
    public void configure(MainConfigurationProperties main) {
        main.setRoutesIncludePattern(routesPattern());
        main.addConfiguration(new ConfigReaderFirst());
        main.addConfiguration(new CommonConfiguration());
        try {
            main.addConfiguration(configuration.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class ConfigReaderFirst implements CamelConfiguration, CamelContextAware {
        @Override
        public void setCamelContext(CamelContext camelContext) {
            context = camelContext;
            context.getRegistry().bind("elvesConfig", config);
            context.getPropertiesComponent().addPropertiesSource(new ElvesPropertiesSource(config));
        }

        @Override
        public CamelContext getCamelContext() {
            return context;
        }

        @Override
        public void configure(CamelContext camelContext) throws Exception {
            if (httpServer) {
                CenterHttpServer.of(config, "127.0.0.1", config.requireInt("elves." + id + ".port"))
                        .addTo(camelContext);
            }
            camelContext.addService(new CloseOnStop("route test's mongo and names", ComponentRoutes.this::close));
        }
    }

    /**
     * A request as the component's inbox hands it over: an rpc envelope from {@code from}, served
     * by rpc-serve; the reply envelope as the caller would read it.
     */
    public Envelope call(String from, String func, Map<String, Object> body) {
        return serve(Envelope.call(from, id, func, body));
    }

    /** A cast as the inbox hands it over; a cast's reply is only read by the inbox (to settle it). */
    public void cast(String from, String func, Map<String, Object> body) {
        serve(Envelope.cast(from, id, func, body));
    }

    private Envelope serve(Envelope request) {
        byte[] reply = template().requestBody("direct:rpc-serve", request.toBytes(), byte[].class);
        return reply.length == 0 ? null : Envelope.parseReply(reply);
    }

    public ProducerTemplate template() {
        return context.createProducerTemplate();
    }

    /** Waits up to 5 s for what a timer route does in the background. */
    public static void eventually(String what, BooleanSupplier done) {
        long until = System.currentTimeMillis() + 5_000;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("not within 5 s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /** The mock of rpc-call (to answer) or rpc-cast (to read what was cast). */
    public MockEndpoint calls() {
        return context.getEndpoint("mock:direct:rpc-call", MockEndpoint.class);
    }

    public MockEndpoint casts() {
        return context.getEndpoint("mock:direct:rpc-cast", MockEndpoint.class);
    }

    /** rpc-call answers with what {@code answer} gives for the called function and body. */
    public void answerCalls(Function<Called, Map<String, Object>> answer) {
        calls().whenAnyExchangeReceived(e -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = e.getMessage().getBody(Map.class);
            e.getMessage().setBody(answer.apply(new Called(
                    e.getProperty("ElvesTo", String.class), e.getProperty("ElvesFunc", String.class), body)));
        });
    }

    /** What was cast since the mocks were last reset: to, func and body of each. */
    public List<Called> cast() {
        return casts().getReceivedExchanges().stream().map(e -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = e.getMessage().getBody(Map.class);
            return new Called(e.getProperty("ElvesTo", String.class), e.getProperty("ElvesFunc", String.class), body);
        }).collect(Collectors.toList());
    }

    /** A call or cast the component sent onward. */
    public record Called(String to, String func, Map<String, Object> body) {
    }

    private String routesPattern() {
        List<String> files = new java.util.ArrayList<>(routeFilesOf("common"));
        files.addAll(ownRouteFiles);
        return String.join(",", files);
    }

    /** The route files of a folder of the center's routes.index, as classpath locations. */
    private static List<String> routeFilesOf(String folder) {
        return Center.routeFiles().stream()
                .filter(file -> file.startsWith(folder + "/"))
                .map(file -> "classpath:org/elves/center/" + file)
                .collect(Collectors.toList());
    }

    private void close() {
        TestNamespace.delete(prefix, List.of());
        config.close();
        mongo.shutdownNow();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

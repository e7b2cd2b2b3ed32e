package org.elves.center;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.elves.center.common.CommonConfiguration;
import org.elves.center.http.CenterHttpServer;
import org.elves.config.ElvesConfig;
import org.elves.config.InstanceRegistration;
import org.elves.config.LocalInstance;
import org.elves.config.camel.ElvesPropertiesSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs any subset of the center's components in one Camel Main: each component adds its
 * CamelConfiguration and its folder of YAML routes. All of them together is the standalone
 * center; one per process is the distributed shape.
 */
public final class Center implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Center.class);
    private static final String ROUTES_PACKAGE = "org/elves/center";
    public static final String VERSION = "0.1.0";

    private final Main main;
    private final List<Component> components;
    private final List<InstanceRegistration> registrations;

    private Center(Main main, List<Component> components, List<InstanceRegistration> registrations) {
        this.main = main;
        this.components = components;
        this.registrations = registrations;
    }

    /** A config builder with the defaults of the center and of these components. */
    public static ElvesConfig.Builder configFor(List<Component> components) {
        List<String> names = new ArrayList<>();
        names.add("center");
        components.forEach(c -> names.add(c.id()));
        return ElvesConfig.builder().components(names);
    }

    /** Starts the components; returns when every route runs (or throws with the reason). */
    public static Center start(ElvesConfig config, List<Component> components) throws Exception {
        requireFreeApiPort(config, components);
        if (!org.elves.protocol.JvmDefaults.asyncStepsPooled()) {
            LOG.warn("the common ForkJoinPool has parallelism 1: every rpc reply starts a thread; "
                    + "start the JVM with -Djava.util.concurrent.ForkJoinPool.common.parallelism=4");
        }
        Main main = new Main();
        main.bind("elvesConfig", config);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                // {{elves.*}} placeholders in routes and @PropertyInject resolve from the one config reader
                m.getCamelContext().getPropertiesComponent().addPropertiesSource(new ElvesPropertiesSource(config));
            }
        });
        main.configure().addConfiguration(CommonConfiguration.class);
        components.forEach(c -> main.configure().addConfiguration(c.configuration()));
        main.addInitialProperty("camel.main.name", "elves-" + components.stream().map(Component::id).collect(Collectors.joining("-")));
        main.addInitialProperty("camel.main.routes-include-pattern", routesPattern(config, components));
        // Camel waits 45 s for messages in flight by default (a realtime task holds one for its whole
        // run); inbox messages are acknowledged only when handled, so a stop may cut them short
        main.addInitialProperty("camel.main.shutdown-timeout", config.require("elves.shutdown-timeout-s"));
        configureReload(main, config, components);
        httpServer(config, components).ifPresent(server -> main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                server.addTo(m.getCamelContext());
            }
        }));
        main.start();
        List<InstanceRegistration> registrations = register(config, components);
        LOG.info("Elves center started: {}", components.stream().map(Component::id).toList());
        return new Center(main, components, registrations);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public List<Component> components() {
        return components;
    }

    @Override
    public void close() {
        registrations.forEach(InstanceRegistration::close);
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("center did not stop cleanly: {}", e.getMessage());
        }
    }

    private static String routesPattern(ElvesConfig config, List<Component> components) {
        Optional<String> dir = config.optional("elves.routes.dir");
        List<String> folders = new ArrayList<>();
        folders.add("common");
        components.forEach(c -> folders.add(c.id()));
        if (dir.isPresent()) {
            return folders.stream().map(f -> "file:" + Path.of(dir.get(), f).toAbsolutePath() + "/*.camel.yaml")
                    .collect(Collectors.joining(","));
        }
        // exact names from the index: a classpath wildcard makes Camel scan the whole jar per folder
        return routeFiles().stream()
                .filter(file -> folders.contains(file.substring(0, file.indexOf('/'))))
                .map(file -> "classpath:" + ROUTES_PACKAGE + "/" + file)
                .collect(Collectors.joining(","));
    }

    /** The route files listed in {@code org/elves/center/routes.index}, as {@code folder/file.camel.yaml}. */
    static List<String> routeFiles() {
        try (java.io.InputStream in = Center.class.getResourceAsStream("/" + ROUTES_PACKAGE + "/routes.index")) {
            if (in == null) {
                throw new IllegalStateException(ROUTES_PACKAGE + "/routes.index is missing from the class path");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * With a routes directory, edits of its YAML files apply live. Only this process's own
     * folders are watched, so a shared directory never loads another component's routes.
     */
    private static void configureReload(Main main, ElvesConfig config, List<Component> components) {
        Optional<String> dir = config.optional("elves.routes.dir");
        if (dir.isEmpty()) {
            return;
        }
        Path root = Path.of(dir.get()).toAbsolutePath();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("elves.routes.dir is not a directory: " + root);
        }
        boolean single = components.size() == 1;
        main.addInitialProperty("camel.main.routes-reload-enabled", "true");
        main.addInitialProperty("camel.main.routes-reload-directory",
                single ? root.resolve(components.get(0).id()).toString() : root.toString());
        main.addInitialProperty("camel.main.routes-reload-directory-recursive", String.valueOf(!single));
        main.addInitialProperty("camel.main.routes-reload-pattern", "*.camel.yaml");
        // otherwise an edit of one file removes every route, those of the other files too
        main.addInitialProperty("camel.main.routes-reload-remove-all-routes", "false");
    }

    /** The API's server when OpenAPI runs here; else the Supervisor's own (packages, admin page). */
    /**
     * Registers this process's components in ZooKeeper (when the config has it), by the API port
     * for OpenAPI and by the process id for the others; closing a registration removes it.
     */
    public static List<InstanceRegistration> register(ElvesConfig config, List<Component> components) {
        List<InstanceRegistration> registrations = new ArrayList<>();
        for (Component c : components) {
            Integer port = c == Component.OPENAPI ? config.requireInt("elves.openapi.port") : null;
            String id = port != null ? LocalInstance.id(port) : LocalInstance.idByPid();
            config.registerInstance(c.id(), id, LocalInstance.data(VERSION, port)).ifPresent(registrations::add);
        }
        return registrations;
    }

    /** The HTTP server of OpenAPI, or of a Supervisor without OpenAPI in the process. */
    public static Optional<CenterHttpServer> httpServer(ElvesConfig config, List<Component> components) {
        if (components.contains(Component.OPENAPI)) {
            return Optional.of(CenterHttpServer.of(config, config.require("elves.openapi.host"),
                    config.requireInt("elves.openapi.port")));
        }
        if (components.contains(Component.SUPERVISOR)) {
            return Optional.of(CenterHttpServer.of(config, config.require("elves.supervisor.host"),
                    config.requireInt("elves.supervisor.port")));
        }
        return Optional.empty();
    }

    /** Vert.x logs a taken port and carries on without a server: with OpenAPI here, refuse to start instead. */
    public static void requireFreeApiPort(ElvesConfig config, List<Component> components) {
        if (components.contains(Component.OPENAPI)) {
            requireFreePort(config.require("elves.openapi.host"), config.requireInt("elves.openapi.port"));
        }
    }

    private static void requireFreePort(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("the API port " + host + ":" + port + " is taken (is another Elves running?)", e);
        }
    }
}

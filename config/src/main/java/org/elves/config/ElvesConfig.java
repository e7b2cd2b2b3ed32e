package org.elves.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Elves configuration: one merged, thread-safe view over several layers, highest
 * precedence first:
 * <ol>
 * <li>explicit overrides given to the builder (e.g. from the command line),</li>
 * <li>Java system properties starting with {@code elves.},</li>
 * <li>environment variables {@code ELVES_*} (see {@link EnvironmentNames}),</li>
 * <li>the ZooKeeper nodes of the selected components ({@code {root}/{component}}),</li>
 * <li>the ZooKeeper global node ({@code {root}}),</li>
 * <li>an optional properties file,</li>
 * <li>classpath defaults: every {@code elves-defaults.properties}, then
 * {@code elves-<component>-defaults.properties} of the selected components.</li>
 * </ol>
 * The ZooKeeper layers change live; every change swaps in a new immutable view and then tells
 * {@link #onChange} listeners which keys changed. Lookups are map reads on the current view;
 * typed lookups parse once per view. A blank value counts as "not set" for typed lookups and
 * {@link #require}.
 */
public final class ElvesConfig implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ElvesConfig.class);

    /** The layers read once at start, each keyed by full key. */
    private record StaticValues(Map<String, String> overrides, Map<String, String> system,
            Map<String, String> environment, Map<String, String> file, Map<String, String> defaults) {
    }

    private final StaticValues layers;
    private final List<String> components;
    private final ChangeNotifier notifier = new ChangeNotifier();
    private final Object lock = new Object();
    private volatile ConfigView view;
    private volatile ZooKeeperLayer zooKeeperLayer;
    private volatile CuratorFramework client;
    private volatile ZooKeeperPaths paths;
    private boolean ownsClient;
    private InstanceRegistry registry;
    private boolean closed;

    private ElvesConfig(StaticValues layers, List<String> components) {
        this.layers = layers;
        this.components = List.copyOf(components);
        recompute();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- lookups -------------------------------------------------------------------------

    /** The value, or null when no layer sets the key. */
    public String get(String key) {
        return view.get(key);
    }

    public String get(String key, String defaultValue) {
        String value = view.get(key);
        return value == null ? defaultValue : value;
    }

    public Optional<String> find(String key) {
        return Optional.ofNullable(view.get(key));
    }

    /**
     * The value when some layer sets it to more than blanks: for keys whose absence is a state of
     * its own (no ZooKeeper, no processor, the built-in routes), which is why they have no default.
     */
    public Optional<String> optional(String key) {
        String value = view.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** The value; a {@link ConfigException} naming the key and where to set it when missing or blank. */
    public String require(String key) {
        String value = view.get(key);
        if (value == null || value.isBlank()) {
            throw missing(key);
        }
        return value;
    }

    public int getInt(String key, int defaultValue) {
        Integer value = view.intValue(key);
        return value == null ? defaultValue : value;
    }

    public int requireInt(String key) {
        Integer value = view.intValue(key);
        if (value == null) {
            throw missing(key);
        }
        return value;
    }

    public long getLong(String key, long defaultValue) {
        Long value = view.longValue(key);
        return value == null ? defaultValue : value;
    }

    public long requireLong(String key) {
        Long value = view.longValue(key);
        if (value == null) {
            throw missing(key);
        }
        return value;
    }

    /** Accepts true/false, yes/no, on/off, 1/0 (any case). */
    public boolean getBoolean(String key, boolean defaultValue) {
        return view.booleanValue(key, defaultValue);
    }

    public boolean requireBoolean(String key) {
        String raw = view.get(key);
        if (raw == null || raw.isBlank()) {
            throw missing(key);
        }
        return view.booleanValue(key, false);
    }

    /**
     * A duration. A bare number is in {@code bareUnit}, because keys carry their unit in the
     * name ({@code elves.timeout} is seconds, {@code *-ms} keys milliseconds); {@code 500ms},
     * {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} and ISO-8601 {@code PT10S} are accepted too.
     */
    public Duration getDuration(String key, ChronoUnit bareUnit, Duration defaultValue) {
        Duration value = view.durationValue(key, bareUnit);
        return value == null ? defaultValue : value;
    }

    public Duration requireDuration(String key, ChronoUnit bareUnit) {
        Duration value = view.durationValue(key, bareUnit);
        if (value == null) {
            throw missing(key);
        }
        return value;
    }

    /** Comma-separated items, trimmed, without empty ones; an empty list when not set. */
    public List<String> getList(String key) {
        return view.listValue(key);
    }

    /** Every key and value of the current view, secrets included: never log it, use {@link #describe()}. */
    public Map<String, String> snapshot() {
        return view.values();
    }

    /** Keys starting with {@code prefix}, with the prefix removed: {@code subset("elves.mq.")} gives {@code host}, {@code port}, ... */
    public Map<String, String> subset(String prefix) {
        Map<String, String> subset = new TreeMap<>();
        view.values().forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                subset.put(key.substring(prefix.length()), value);
            }
        });
        return Collections.unmodifiableMap(subset);
    }

    /** The current view as sorted {@code key=value} lines with secrets masked: safe to log. */
    public String describe() {
        return SecretMasking.describe(view.values());
    }

    /**
     * Calls {@code listener} with the keys whose value changed (added, changed or removed) after
     * each live change. Listeners run one at a time on a dedicated thread, in order, after the new
     * values are visible through this object.
     */
    public Subscription onChange(Consumer<Set<String>> listener) {
        return notifier.subscribe(listener);
    }

    /** The components whose defaults and ZooKeeper nodes this config reads. */
    public List<String> components() {
        return components;
    }

    // ---- ZooKeeper ----------------------------------------------------------------------

    public boolean zookeeperEnabled() {
        return client != null;
    }

    /** The Curator client, shared with whoever needs ZooKeeper in this process (e.g. leader election). */
    public Optional<CuratorFramework> zookeeper() {
        return Optional.ofNullable(client);
    }

    /** The ZooKeeper root path ({@code elves.zookeeper.root}). */
    public String zookeeperRoot() {
        ZooKeeperPaths current = paths;
        return current != null ? current.root() : new ZooKeeperPaths(get(ConfigKeys.ZOOKEEPER_ROOT)).root();
    }

    /** ZooKeeper nodes whose current content is malformed and ignored (path to reason); for health checks. */
    public Map<String, String> problems() {
        ZooKeeperLayer layer = zooKeeperLayer;
        return layer == null ? Map.of() : layer.problems();
    }

    /** Replaces a config node's content ({@code component} null: the global node). */
    public void publish(String component, Map<String, ?> settings) {
        writer().publish(component, settings);
    }

    /** A writer for config nodes under this config's root. */
    public ZooKeeperConfigWriter writer() {
        return new ZooKeeperConfigWriter(requireZooKeeper("write config nodes"), zookeeperRoot());
    }

    /** The instance registry, closed with this config; empty when running without ZooKeeper. */
    public Optional<InstanceRegistry> instanceRegistry() {
        CuratorFramework current = client;
        if (current == null) {
            return Optional.empty();
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("ElvesConfig is closed");
            }
            if (registry == null) {
                registry = new InstanceRegistry(current, zookeeperRoot());
            }
            return Optional.of(registry);
        }
    }

    /**
     * Registers this process as an instance of {@code component}; empty (and nothing to do) when
     * running without ZooKeeper. Close the registration, or this config, to remove it.
     */
    public Optional<InstanceRegistration> registerInstance(String component, String instanceId, Map<String, ?> data) {
        return instanceRegistry().map(registry -> registry.register(component, instanceId, data));
    }

    /** Removes registrations made through {@link #instanceRegistry()}, stops watching, closes an owned client. */
    @Override
    public void close() {
        InstanceRegistry registryToClose;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            registryToClose = registry;
        }
        if (registryToClose != null) {
            registryToClose.close();
        }
        ZooKeeperLayer layer = zooKeeperLayer;
        if (layer != null) {
            layer.close();
        }
        if (ownsClient && client != null) {
            client.close();
        }
        notifier.close();
    }

    @Override
    public String toString() {
        return "ElvesConfig[" + view.values().size() + " keys, components=" + components
                + (client != null ? ", zookeeper root " + zookeeperRoot() : ", no zookeeper") + "]";
    }

    // ---- internals ----------------------------------------------------------------------

    /** Rebuilds the merged view from every layer and reports the keys that changed. */
    private void recompute() {
        synchronized (lock) {
            Map<String, String> merged = new HashMap<>(layers.defaults());
            merged.putAll(layers.file());
            ZooKeeperLayer layer = zooKeeperLayer;
            if (layer != null) {
                merged.putAll(layer.globalValues());
                merged.putAll(layer.componentValues());
            }
            merged.putAll(layers.environment());
            merged.putAll(layers.system());
            merged.putAll(layers.overrides());
            ConfigView old = view;
            if (old != null && old.values().equals(merged)) {
                return;
            }
            view = new ConfigView(merged);
            if (old != null && !closed) {
                // fired under the lock so listeners see change sets in the order they happened
                notifier.fire(changedKeys(old.values(), merged));
            }
        }
    }

    private static Set<String> changedKeys(Map<String, String> before, Map<String, String> after) {
        Set<String> changed = new HashSet<>();
        before.forEach((key, value) -> {
            if (!value.equals(after.get(key))) {
                changed.add(key);
            }
        });
        after.keySet().forEach(key -> {
            if (!before.containsKey(key)) {
                changed.add(key);
            }
        });
        return Set.copyOf(changed);
    }

    private void startZooKeeper(CuratorFramework sharedClient) {
        int sessionTimeoutMs = requireInt(ConfigKeys.ZOOKEEPER_SESSION_TIMEOUT_MS);
        int connectTimeoutMs = requireInt(ConfigKeys.ZOOKEEPER_CONNECT_TIMEOUT_MS);
        ZooKeeperPaths layout = new ZooKeeperPaths(get(ConfigKeys.ZOOKEEPER_ROOT));
        CuratorFramework zk = sharedClient != null ? awaitConnected(sharedClient, connectTimeoutMs)
                : ZooKeeperClients.connect(require(ConfigKeys.ZOOKEEPER_CONNECT).strip(), sessionTimeoutMs,
                        connectTimeoutMs);
        this.ownsClient = sharedClient == null;
        this.paths = layout;
        this.client = zk;
        ZooKeeperLayer layer = new ZooKeeperLayer(zk, layout, components, this::recompute);
        this.zooKeeperLayer = layer;
        layer.start();
        boolean loaded;
        try {
            loaded = layer.awaitInitialized(connectTimeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loaded = false;
        }
        if (!loaded) {
            throw new ConfigException("ZooKeeper at '" + describeConnection(zk) + "' did not deliver config nodes "
                    + layout.root() + " and its components " + components + " within " + connectTimeoutMs + " ms ("
                    + ConfigKeys.ZOOKEEPER_CONNECT_TIMEOUT_MS + ")");
        }
        recompute();
        LOG.info("Config from ZooKeeper {} under {} for components {}", describeConnection(zk), layout.root(), components);
    }

    private static CuratorFramework awaitConnected(CuratorFramework shared, int connectTimeoutMs) {
        try {
            if (shared.blockUntilConnected(connectTimeoutMs, TimeUnit.MILLISECONDS)) {
                return shared;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ConfigException("The given ZooKeeper client is not connected to '" + describeConnection(shared)
                + "' within " + connectTimeoutMs + " ms (" + ConfigKeys.ZOOKEEPER_CONNECT_TIMEOUT_MS + ")");
    }

    private static String describeConnection(CuratorFramework zk) {
        return zk.getZookeeperClient().getCurrentConnectionString();
    }

    private CuratorFramework requireZooKeeper(String purpose) {
        CuratorFramework current = client;
        if (current == null) {
            throw new ConfigException("Cannot " + purpose + ": ZooKeeper is not configured ("
                    + ConfigKeys.ZOOKEEPER_CONNECT + " is empty)");
        }
        return current;
    }

    private static ConfigException missing(String key) {
        return new ConfigException("Missing required setting " + key + ": set it in ZooKeeper, in the config file, as -D"
                + key + "=... or as environment variable " + EnvironmentNames.toEnv(key));
    }

    /**
     * Collects the sources and builds an {@link ElvesConfig}. {@link #build()} connects to
     * ZooKeeper when {@code elves.zookeeper.connect} is set (by any non-ZooKeeper layer) and waits,
     * bounded by {@code elves.zookeeper.connect-timeout-ms}, for the initial content of the nodes.
     */
    public static final class Builder {
        private final Map<String, String> overrides = new HashMap<>();
        private final List<String> components = new ArrayList<>();
        private final List<String> extraDefaults = new ArrayList<>();
        private Path propertiesFile;
        private Map<String, String> environment;
        private Properties systemProperties;
        private ClassLoader classLoader;
        private CuratorFramework sharedClient;

        private Builder() {
        }

        /** Highest-precedence settings, e.g. from the command line; values become strings, null values are ignored. */
        public Builder overrides(Map<String, ?> settings) {
            settings.forEach(this::override);
            return this;
        }

        public Builder overrides(Properties settings) {
            overrides(StaticLayers.fromProperties(settings));
            return this;
        }

        public Builder override(String key, Object value) {
            if (value != null) {
                overrides.put(key, String.valueOf(value));
            }
            return this;
        }

        /**
         * A properties file (UTF-8) between the ZooKeeper layers and the classpath defaults. If
         * not given here, {@code elves.config.file} from overrides, system properties or the
         * environment names it. A named file that does not exist is an error.
         */
        public Builder propertiesFile(Path file) {
            this.propertiesFile = file;
            return this;
        }

        /**
         * The components this process runs: their {@code elves-<component>-defaults.properties}
         * and ZooKeeper nodes are read. A component listed earlier wins on a shared key.
         */
        public Builder components(List<String> names) {
            names.forEach(name -> components.add(ZooKeeperPaths.checkComponent(name)));
            return this;
        }

        public Builder components(String... names) {
            return components(List.of(names));
        }

        /** Another classpath defaults resource (e.g. {@code elves-cli-defaults.properties}), above the base defaults. */
        public Builder defaultsResource(String resourceName) {
            extraDefaults.add(resourceName);
            return this;
        }

        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /** The environment to read instead of {@link System#getenv()} (tests, embedding). */
        public Builder environment(Map<String, String> variables) {
            this.environment = Map.copyOf(variables);
            return this;
        }

        /** The system properties to read instead of {@link System#getProperties()} (tests, embedding). */
        public Builder systemProperties(Properties properties) {
            this.systemProperties = properties;
            return this;
        }

        /**
         * Use this started Curator client instead of opening one from {@code elves.zookeeper.*};
         * it is not closed with the config. Lets one process share a single ZooKeeper session.
         */
        public Builder zookeeper(CuratorFramework client) {
            this.sharedClient = client;
            return this;
        }

        public ElvesConfig build() {
            ClassLoader loader = classLoader != null ? classLoader : defaultClassLoader();
            Map<String, String> defaults = StaticLayers.classpathDefaults(loader, defaultsResources());
            Map<String, String> system = StaticLayers.systemProperties(
                    systemProperties != null ? systemProperties : System.getProperties());
            Map<String, String> env = environment != null ? environment : System.getenv();

            // the file may itself be named by the environment, so map the environment once
            // to find it, then again with the file's keys known for relaxed matching
            Path file = propertiesFile != null ? propertiesFile
                    : configFileFrom(overrides, system, EnvironmentNames.layer(env, defaults.keySet()));
            Map<String, String> fileLayer = file != null ? StaticLayers.propertiesFile(file) : Map.of();
            Set<String> knownKeys = new HashSet<>(defaults.keySet());
            knownKeys.addAll(fileLayer.keySet());
            Map<String, String> envLayer = EnvironmentNames.layer(env, knownKeys);

            ElvesConfig config = new ElvesConfig(new StaticValues(Map.copyOf(overrides), Map.copyOf(system),
                    Map.copyOf(envLayer), Map.copyOf(fileLayer), Map.copyOf(defaults)), components);
            boolean useZooKeeper = sharedClient != null || config.optional(ConfigKeys.ZOOKEEPER_CONNECT).isPresent();
            if (useZooKeeper) {
                try {
                    config.startZooKeeper(sharedClient);
                } catch (RuntimeException e) {
                    config.close();
                    throw e;
                }
            } else {
                LOG.info("Config without ZooKeeper ({} is empty), components {}", ConfigKeys.ZOOKEEPER_CONNECT,
                        components);
            }
            return config;
        }

        /** Lowest precedence first: base defaults, extra resources, then components, the first listed last. */
        private List<String> defaultsResources() {
            List<String> resources = new ArrayList<>();
            resources.add(StaticLayers.BASE_DEFAULTS);
            resources.addAll(extraDefaults);
            for (int i = components.size() - 1; i >= 0; i--) {
                resources.add(StaticLayers.componentDefaults(components.get(i)));
            }
            return resources;
        }

        private static Path configFileFrom(Map<String, String> overrides, Map<String, String> system,
                Map<String, String> env) {
            for (Map<String, String> layer : List.of(overrides, system, env)) {
                String value = layer.get(ConfigKeys.CONFIG_FILE);
                if (value != null && !value.isBlank()) {
                    return Path.of(value.strip());
                }
            }
            return null;
        }

        private static ClassLoader defaultClassLoader() {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            return context != null ? context : ElvesConfig.class.getClassLoader();
        }
    }
}

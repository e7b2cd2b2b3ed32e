package org.elves.config;

/**
 * Names of the keys this module itself reads or ships defaults for. Components keep their own
 * key names next to their own code and defaults file.
 */
public final class ConfigKeys {
    /** Every Elves key starts with this; system properties and environment variables are filtered by it. */
    public static final String PREFIX = "elves.";

    /** ZooKeeper connect string; empty means "run without ZooKeeper". */
    public static final String ZOOKEEPER_CONNECT = "elves.zookeeper.connect";
    public static final String ZOOKEEPER_ROOT = "elves.zookeeper.root";
    public static final String ZOOKEEPER_SESSION_TIMEOUT_MS = "elves.zookeeper.session-timeout-ms";
    /** Bound on connecting to ZooKeeper and on loading the initial config from it. */
    public static final String ZOOKEEPER_CONNECT_TIMEOUT_MS = "elves.zookeeper.connect-timeout-ms";
    /** Path of an optional properties file; an alternative to {@code ElvesConfig.Builder#propertiesFile}. */
    public static final String CONFIG_FILE = "elves.config.file";

    public static final String MQ_HOST = "elves.mq.host";
    public static final String MQ_PORT = "elves.mq.port";
    public static final String MQ_USERNAME = "elves.mq.username";
    public static final String MQ_PASSWORD = "elves.mq.password";
    public static final String MQ_EXCHANGE = "elves.mq.exchange";

    /** Scheduler-to-agent timeout in seconds (the global {@code Timeout}). */
    public static final String TIMEOUT = "elves.timeout";
    public static final String RPC_TIMEOUT_MS = "elves.rpc.timeout-ms";

    private ConfigKeys() {
    }
}

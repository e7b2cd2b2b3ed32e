package org.elves.config;

import static org.elves.config.TestSupport.isolatedBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layers that need no ZooKeeper: overrides, system properties, environment, file, classpath defaults. */
class StaticLayersTest {
    @TempDir
    Path dir;

    @Test
    void shippedDefaultsAreLoaded() {
        try (ElvesConfig config = isolatedBuilder().build()) {
            assertEquals("", config.get(ConfigKeys.ZOOKEEPER_CONNECT));
            assertEquals("/elves", config.get(ConfigKeys.ZOOKEEPER_ROOT));
            assertEquals(10000, config.getInt(ConfigKeys.ZOOKEEPER_SESSION_TIMEOUT_MS, 0));
            assertEquals("127.0.0.1", config.get(ConfigKeys.MQ_HOST));
            assertEquals(5672, config.getInt(ConfigKeys.MQ_PORT, 0));
            assertEquals("guest", config.get(ConfigKeys.MQ_USERNAME));
            assertEquals("guest", config.get(ConfigKeys.MQ_PASSWORD));
            assertEquals("elves", config.get(ConfigKeys.MQ_EXCHANGE));
            assertEquals(Duration.ofSeconds(90), config.requireDuration(ConfigKeys.TIMEOUT, ChronoUnit.SECONDS));
            assertEquals(Duration.ofMillis(5000), config.requireDuration(ConfigKeys.RPC_TIMEOUT_MS, ChronoUnit.MILLIS));
            assertFalse(config.zookeeperEnabled());
            assertTrue(config.instanceRegistry().isEmpty());
        }
    }

    @Test
    void precedenceIsOverridesThenSystemThenEnvironmentThenFileThenDefaults() throws IOException {
        Path file = dir.resolve("elves.properties");
        Files.writeString(file, """
                elves.mq.host=from-file
                elves.mq.port=1001
                elves.mq.exchange=file-exchange
                elves.mq.username=file-user
                """, StandardCharsets.UTF_8);
        Properties system = new Properties();
        system.setProperty("elves.mq.host", "from-system");
        system.setProperty("elves.mq.port", "1002");
        system.setProperty("java.not.ours", "ignored");
        Map<String, String> env = Map.of(
                "ELVES_MQ_HOST", "from-env",
                "ELVES_MQ_PORT", "1003",
                "ELVES_MQ_EXCHANGE", "env-exchange");

        try (ElvesConfig config = ElvesConfig.builder()
                .environment(env)
                .systemProperties(system)
                .propertiesFile(file)
                .overrides(Map.of("elves.mq.host", "from-override"))
                .build()) {
            assertEquals("from-override", config.get("elves.mq.host"));
            assertEquals(1002, config.getInt("elves.mq.port", 0));
            assertEquals("env-exchange", config.get("elves.mq.exchange"));
            assertEquals("file-user", config.get("elves.mq.username"));
            assertEquals("guest", config.get("elves.mq.password"));
            assertNull(config.get("java.not.ours"));
        }
    }

    @Test
    void environmentNamesMapToKeys() {
        Map<String, String> env = Map.of(
                "ELVES_API_PORT", "8080",
                "ELVES_RPC_TIMEOUT_MS", "250",
                "ELVES_OPENAPI_SIGN_WINDOW__SECONDS", "60",
                "PATH", "/usr/bin",
                "ELVES_", "nothing");
        try (ElvesConfig config = ElvesConfig.builder().environment(env).systemProperties(new Properties()).build()) {
            assertEquals(8080, config.getInt("elves.api.port", 0));
            // relaxed: matches the known key elves.rpc.timeout-ms from the defaults
            assertEquals(250, config.getInt("elves.rpc.timeout-ms", 0));
            // explicit: '__' spells '-'
            assertEquals("60", config.get("elves.openapi.sign.window-seconds"));
            assertNull(config.get("path"));
            assertFalse(config.snapshot().containsKey("elves."));
        }
    }

    @Test
    void exactEnvironmentSpellingWinsOverRelaxedMatch() {
        Map<String, String> env = Map.of("ELVES_RPC_TIMEOUT_MS", "1", "ELVES_RPC_TIMEOUT__MS", "2");
        try (ElvesConfig config = ElvesConfig.builder().environment(env).systemProperties(new Properties()).build()) {
            assertEquals(2, config.getInt("elves.rpc.timeout-ms", 0));
        }
    }

    @Test
    void componentAndExtraDefaultsMergeAndFirstListedComponentWins() {
        try (ElvesConfig config = isolatedBuilder()
                .components("alpha", "beta")
                .defaultsResource("elves-extra-defaults.properties")
                .build()) {
            assertEquals(7001, config.getInt("elves.alpha.port", 0));
            assertEquals(7002, config.getInt("elves.beta.port", 0));
            assertEquals("alpha", config.get("elves.shared.owner"));
            // component defaults override the base defaults
            assertEquals(45, config.getInt("elves.timeout", 0));
            assertTrue(config.getBoolean("elves.extra.flag", false));
            assertEquals("127.0.0.1", config.get("elves.mq.host"));
            assertEquals(List.of("alpha", "beta"), config.components());
        }
        try (ElvesConfig config = isolatedBuilder().components("beta", "alpha").build()) {
            assertEquals("beta", config.get("elves.shared.owner"));
        }
    }

    @Test
    void configFileCanBeNamedByTheEnvironment() throws IOException {
        Path file = dir.resolve("named.properties");
        Files.writeString(file, "elves.mq.host=named-by-env\nelves.custom.limit-count=3\n", StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("ELVES_CONFIG_FILE", file.toString(), "ELVES_CUSTOM_LIMIT_COUNT", "4");
        try (ElvesConfig config = ElvesConfig.builder().environment(env).systemProperties(new Properties()).build()) {
            assertEquals("named-by-env", config.get("elves.mq.host"));
            // relaxed environment matching also knows the keys of the file
            assertEquals(4, config.getInt("elves.custom.limit-count", 0));
        }
    }

    @Test
    void missingConfigFileIsAClearError() {
        Path missing = dir.resolve("nope.properties");
        ConfigException e = assertThrows(ConfigException.class,
                () -> isolatedBuilder().propertiesFile(missing).build());
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void requireNamesTheKeyAndHowToSetIt() {
        try (ElvesConfig config = isolatedBuilder().override("elves.blank", " ").build()) {
            ConfigException e = assertThrows(ConfigException.class, () -> config.require("elves.scheduler.port-x"));
            assertTrue(e.getMessage().contains("elves.scheduler.port-x"), e.getMessage());
            assertTrue(e.getMessage().contains("ELVES_SCHEDULER_PORT__X"), e.getMessage());
            assertThrows(ConfigException.class, () -> config.require("elves.blank"));
            assertThrows(ConfigException.class, () -> config.requireInt("elves.blank"));
            assertEquals(7, config.getInt("elves.blank", 7));
        }
    }

    @Test
    void typedLookupsParseAndReportBadValuesWithoutLeakingSecrets() {
        try (ElvesConfig config = isolatedBuilder().overrides(Map.of(
                "elves.a.count", "12",
                "elves.a.big", "9000000000",
                "elves.a.on", "YES",
                "elves.a.wait", "1500ms",
                "elves.a.iso", "PT2M",
                "elves.a.list", " 10.0.0.1, ,10.0.0.2 ",
                "elves.a.bad", "twelve",
                "elves.a.api-key", "s3cr3t")).build()) {
            assertEquals(12, config.getInt("elves.a.count", 0));
            assertEquals(12, config.requireInt("elves.a.count"));
            assertEquals(9_000_000_000L, config.getLong("elves.a.big", 0));
            assertTrue(config.getBoolean("elves.a.on", false));
            assertEquals(Duration.ofMillis(1500), config.getDuration("elves.a.wait", ChronoUnit.SECONDS, null));
            assertEquals(Duration.ofMinutes(2), config.getDuration("elves.a.iso", ChronoUnit.SECONDS, null));
            assertEquals(Duration.ofSeconds(12), config.getDuration("elves.a.count", ChronoUnit.SECONDS, null));
            assertEquals(Duration.ofMillis(12), config.getDuration("elves.a.count", ChronoUnit.MILLIS, null));
            assertEquals(List.of("10.0.0.1", "10.0.0.2"), config.getList("elves.a.list"));
            assertEquals(List.of(), config.getList("elves.a.none"));
            assertEquals(5, config.getInt("elves.a.none", 5));

            ConfigException bad = assertThrows(ConfigException.class, () -> config.getInt("elves.a.bad", 0));
            assertTrue(bad.getMessage().contains("elves.a.bad") && bad.getMessage().contains("twelve"), bad.getMessage());
            ConfigException secret = assertThrows(ConfigException.class, () -> config.getInt("elves.a.api-key", 0));
            assertTrue(secret.getMessage().contains("elves.a.api-key"), secret.getMessage());
            assertFalse(secret.getMessage().contains("s3cr3t"), secret.getMessage());
        }
    }

    @Test
    void describeMasksSecretsButSnapshotKeepsThem() {
        try (ElvesConfig config = isolatedBuilder().overrides(Map.of(
                "elves.auth.key", "k-123",
                "elves.db.password", "pw-456",
                "elves.cmdb.client-secret", "sec-789",
                "elves.mongo.uri", "mongodb://admin:uri-pass@db:27017/elves")).build()) {
            String described = config.describe();
            for (String secret : List.of("k-123", "pw-456", "sec-789", "uri-pass")) {
                assertFalse(described.contains(secret), "leaked " + secret + " in\n" + described);
            }
            assertTrue(described.contains("elves.mq.host=127.0.0.1\n"), described);
            assertTrue(described.contains("elves.mq.password=******\n"), described);
            assertTrue(described.contains("elves.mongo.uri=mongodb://admin:******@db:27017/elves\n"), described);
            assertEquals("pw-456", config.snapshot().get("elves.db.password"));
            assertThrows(UnsupportedOperationException.class, () -> config.snapshot().put("x", "y"));
        }
    }

    @Test
    void subsetStripsThePrefix() {
        try (ElvesConfig config = isolatedBuilder().build()) {
            Map<String, String> mq = config.subset("elves.mq.");
            assertEquals("127.0.0.1", mq.get("host"));
            assertEquals("5672", mq.get("port"));
            assertFalse(mq.containsKey("elves.mq.host"));
        }
    }

    @Test
    void invalidComponentNameIsRejected() {
        assertThrows(ConfigException.class, () -> isolatedBuilder().components("Open API"));
        assertThrows(ConfigException.class, () -> isolatedBuilder().components("a/b"));
    }

    @Test
    void publishingWithoutZooKeeperSaysWhy() {
        try (ElvesConfig config = isolatedBuilder().build()) {
            ConfigException e = assertThrows(ConfigException.class, () -> config.publish(null, Map.of("timeout", 1)));
            assertTrue(e.getMessage().contains(ConfigKeys.ZOOKEEPER_CONNECT), e.getMessage());
        }
    }
}

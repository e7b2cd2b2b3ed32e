package org.elves.agent.appsync;

import org.elves.agent.AgentCommand;
import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.ConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** apps.maxpackagebytes and apps.downloadtimeout: defaults, cfg.json, options. */
class AppDistSettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaults() {
        AgentSettings s = AgentSettings.defaults();
        assertEquals(256L << 20, s.maxPackageBytes());
        assertEquals(300, s.downloadTimeoutSeconds());
    }

    @Test
    void cfgJsonKeysAndOptions() throws Exception {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, "{\"apps\":{\"hello\":\"1.0\"},\"apps.maxpackagebytes\":5368709120,"
                + "\"apps.downloadtimeout\":30}");
        AgentSettings s = ConfigFile.load(cfg).build();
        assertEquals(5L << 30, s.maxPackageBytes());
        assertEquals(30, s.downloadTimeoutSeconds());
        assertEquals("1.0", s.apps().get("hello"), "the apps map is still the apps map");

        AgentCommand cmd = new AgentCommand();
        new CommandLine(cmd).parseArgs("--config", cfg.toString(), "--max-package-bytes", "1048576",
                "--download-timeout", "12");
        AgentSettings o = cmd.settings();
        assertEquals(1L << 20, o.maxPackageBytes());
        assertEquals(12, o.downloadTimeoutSeconds());
    }

    @Test
    void wrongValuesAreNamed() throws Exception {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, "{\"apps.downloadtimeout\":0}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.load(cfg).build());
        assertTrue(e.getMessage().contains("apps.downloadtimeout"), e.getMessage());
        Files.writeString(cfg, "{\"apps.maxpackagebytes\":\"lots\"}");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.load(cfg));
        assertTrue(e.getMessage().contains("apps.maxpackagebytes"), e.getMessage());
    }
}

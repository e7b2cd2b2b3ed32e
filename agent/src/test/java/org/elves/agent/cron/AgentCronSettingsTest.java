package org.elves.agent.cron;

import org.elves.agent.AgentCommand;
import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.ConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** statedir, agentcron.enabled, cron.misfire, cron.outboxmax: defaults, cfg.json keys, options. */
class AgentCronSettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaults() {
        AgentSettings s = AgentSettings.defaults();
        assertEquals(Path.of("var"), s.stateDir());
        assertTrue(s.agentCronEnabled());
        assertEquals(MisfirePolicy.FIRE_ONCE, s.cronMisfire());
        assertEquals(10_000, s.outboxMax());
        assertEquals(s, s.toBuilder().build(), "toBuilder keeps them");
    }

    @Test
    void cfgJsonKeysNestedOrDotted() throws Exception {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, "{\"statedir\": \"state\", \"agentcron\": {\"enabled\": \"false\"},"
                + " \"cron\": {\"misfire\": \"skip\"}, \"cron.outboxmax\": 50}");
        AgentSettings s = ConfigFile.load(cfg).build();
        assertEquals(dir.resolve("state").toAbsolutePath().normalize(), s.stateDir(), "relative to cfg.json's dir");
        assertFalse(s.agentCronEnabled());
        assertEquals(MisfirePolicy.SKIP, s.cronMisfire());
        assertEquals(50, s.outboxMax());

        Files.writeString(cfg, "{\"outbox\": {\"max\": 60}}");
        assertEquals(60, ConfigFile.load(cfg).build().outboxMax(), "the outbox's own key");

        Files.writeString(cfg, "{\"cron.misfire\": \"sometimes\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.load(cfg));
        assertTrue(e.getMessage().contains("cron.misfire"), e.getMessage());
        Files.writeString(cfg, "{\"cron.outboxmax\": 0}");
        assertThrows(IllegalArgumentException.class, () -> ConfigFile.load(cfg).build());
    }

    @Test
    void commandLineOptions() {
        AgentCommand cmd = new AgentCommand();
        new CommandLine(cmd).parseArgs("--state-dir", "/var/lib/elves", "--no-agent-cron", "--cron-misfire", "skip",
                "--cron-outbox-max", "7");
        AgentSettings s = cmd.settings();
        assertEquals(Path.of("/var/lib/elves"), s.stateDir());
        assertFalse(s.agentCronEnabled());
        assertEquals(MisfirePolicy.SKIP, s.cronMisfire());
        assertEquals(7, s.outboxMax());
        assertEquals(MisfirePolicy.FIRE_ONCE, MisfirePolicy.parse("Fire-Once"));
        AgentCommand renamed = new AgentCommand();
        new CommandLine(renamed).parseArgs("--outbox-max", "8");
        assertEquals(8, renamed.settings().outboxMax());
    }
}

package org.elves.center.scheduler;

import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProcessorRegistryTest {

    private static Map<String, Object> table(String version, Map<String, String> processors) {
        return Map.of("flag", "true", "error", "", "result", Map.of("version", version, "changed", true, "processors", processors));
    }

    @Test
    void aSettingWinsOverTheSupervisorsTableWhichServesTheOtherApps() {
        try (ElvesConfig config = Center.configFor(List.of(Component.SCHEDULER))
                .overrides(Map.of("elves.processor.apptest", "127.0.0.1:10010")).build()) {
            ProcessorRegistry registry = new ProcessorRegistry(config);
            assertNull(registry.find("other"), "nothing known before the Supervisor answered");
            registry.answered(table("3", Map.of("apptest", "10.0.0.9:1", "other", "127.0.0.1:10020")));
            assertEquals(new ProcessorRegistry.Address("127.0.0.1", 10010), registry.find("apptest"));
            assertEquals(new ProcessorRegistry.Address("127.0.0.1", 10020), registry.find("other"));
            assertEquals(Map.of("version", "3"), registry.query());
            // the Supervisor away: what was known stays
            registry.failed(new IllegalStateException("timeout"));
            assertEquals(new ProcessorRegistry.Address("127.0.0.1", 10020), registry.find("other"));
            registry.answered(table("4", Map.of("other", "nohostport")));
            assertThrows(IllegalArgumentException.class, () -> registry.find("other"));
        }
    }
}

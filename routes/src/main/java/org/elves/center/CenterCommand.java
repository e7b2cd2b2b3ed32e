package org.elves.center;

import org.elves.center.common.BoundedStop;
import org.elves.config.ElvesConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code elves center}: runs the chosen components (the distributed shape: one per process). */
@Command(name = "center", mixinStandardHelpOptions = true,
        description = "Run center components (scheduler, heartbeat, openapi, or all) until stopped.")
public class CenterCommand implements Callable<Integer> {

    @Option(names = {"-c", "--components"}, paramLabel = "LIST",
            description = "Components to run: all, or a comma list of heartbeat, scheduler, openapi, queue. Default: elves.components (-D, --config file, ELVES_COMPONENTS) or all.")
    String components;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with elves.* settings.")
    Path configFile;

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Set one elves.* setting (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        List<Component> selected = Component.parse(componentNames());
        ElvesConfig.Builder builder = Center.configFor(selected).overrides(settings);
        if (configFile != null) {
            builder.propertiesFile(configFile);
        }
        ElvesConfig config = builder.build();
        Center center = Center.start(config, selected);
        CountDownLatch stopped = new CountDownLatch(1);
        long stopLimitMs = config.requireInt("elves.stop-limit-s") * 1000L;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            BoundedStop.run("elves center", () -> {
                center.close();
                config.close();
            }, stopLimitMs);
            stopped.countDown();
        }, "elves-center-shutdown"));
        stopped.await();
        return 0;
    }

    /** --components, else elves.components from -D, the config file, ELVES_COMPONENTS or -Delves.components; else all. */
    private String componentNames() throws java.io.IOException {
        if (components != null) {
            return components;
        }
        if (settings.containsKey("elves.components")) {
            return settings.get("elves.components");
        }
        if (configFile != null) {
            java.util.Properties file = new java.util.Properties();
            try (java.io.Reader r = java.nio.file.Files.newBufferedReader(configFile)) {
                file.load(r);
            }
            if (file.getProperty("elves.components") != null) {
                return file.getProperty("elves.components");
            }
        }
        return System.getenv().getOrDefault("ELVES_COMPONENTS", System.getProperty("elves.components", "all"));
    }

    public static void main(String[] args) {
        org.elves.protocol.JvmDefaults.apply();
        System.exit(new picocli.CommandLine(new CenterCommand()).execute(args));
    }
}

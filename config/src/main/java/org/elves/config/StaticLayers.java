package org.elves.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Loads the layers that are read once at start: classpath defaults, a properties file, system properties. */
final class StaticLayers {
    static final String BASE_DEFAULTS = "elves-defaults.properties";

    private StaticLayers() {
    }

    static String componentDefaults(String component) {
        return "elves-" + component + "-defaults.properties";
    }

    /**
     * Merges classpath resources given lowest precedence first. Several jars may ship a resource
     * of the same name; then the one earlier on the classpath wins, as with class loading.
     * A missing resource is fine: not every component has defaults.
     */
    static Map<String, String> classpathDefaults(ClassLoader loader, List<String> resourcesLowestFirst) {
        Map<String, String> merged = new HashMap<>();
        for (String resource : resourcesLowestFirst) {
            List<URL> urls;
            try {
                urls = Collections.list(loader.getResources(resource));
            } catch (IOException e) {
                throw new ConfigException("Cannot list classpath resource " + resource + ": " + e.getMessage(), e);
            }
            Collections.reverse(urls);
            for (URL url : urls) {
                try (InputStream in = url.openStream()) {
                    merged.putAll(load(in));
                } catch (IOException | IllegalArgumentException e) {
                    throw new ConfigException("Cannot read defaults " + url + ": " + e.getMessage(), e);
                }
            }
        }
        return merged;
    }

    static Map<String, String> propertiesFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Config file " + file.toAbsolutePath() + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("Cannot read config file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Only {@code elves.*} system properties: the JVM has many others that are not ours. */
    static Map<String, String> systemProperties(Properties properties) {
        Map<String, String> layer = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(ConfigKeys.PREFIX)) {
                layer.put(name, properties.getProperty(name));
            }
        }
        return layer;
    }

    static Map<String, String> fromProperties(Properties properties) {
        Map<String, String> map = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return map;
    }

    /** Properties files are read as UTF-8, not ISO-8859-1, so operators can write any text. */
    private static Map<String, String> load(InputStream in) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return fromProperties(properties);
    }
}

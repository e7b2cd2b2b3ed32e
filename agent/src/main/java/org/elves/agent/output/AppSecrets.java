package org.elves.agent.output;

import org.elves.agent.LightJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The names an app's {@code appcfg.json} lists as {@code "Secrets": ["password", ...]}. */
public final class AppSecrets {
    static final String FILE = "appcfg.json";
    static final String KEY = "Secrets";
    private static final Logger LOG = LoggerFactory.getLogger(AppSecrets.class);

    private AppSecrets() {
    }

    /**
     * The names; an empty list when the app has no appcfg.json or it names none. Empty (not an
     * empty list) when the file is there but unreadable: the secrets are then unknown, and the
     * caller must not let output out unmasked.
     */
    public static Optional<List<String>> of(Path appDir) {
        if (appDir == null) {
            return Optional.of(List.of());
        }
        Path file = appDir.resolve(FILE);
        Object root;
        try {
            root = LightJson.parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.of(List.of());
        } catch (IOException e) {
            LOG.warn("{} not readable ({}): the output of the app's workers is not streamed, its secrets are unknown",
                    file, e.toString());
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        if (root instanceof Map<?, ?> cfg && cfg.get(KEY) instanceof List<?> list) {
            for (Object name : list) {
                if (name instanceof String s) {
                    names.add(s);
                }
            }
        }
        return Optional.of(names);
    }
}

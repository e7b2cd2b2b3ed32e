package org.elves.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Puts apps into an agent's apps directory. An installed app is {@code <appsDir>/<app>/} holding
 * its own files plus the SDK entry its language needs (app-worker.py for Python apps, the
 * elves-worker.sh helper for shell apps), which this jar carries.
 * <pre>
 *   AppInstaller.installExample("apptest", Path.of("apps"));   // apps/apptest/app-worker.py, apptest.py, ...
 * </pre>
 */
public final class AppInstaller {

    /** The language of an app, i.e. which SDK entry goes next to its files. */
    public enum Sdk {
        PYTHON("python/app-worker.py", "app-worker.py"),
        SHELL("shell/elves-worker.sh", "elves-worker.sh");

        private final String resource;
        private final String fileName;

        Sdk(String resource, String fileName) {
            this.resource = resource;
            this.fileName = fileName;
        }

        /** The file name the entry gets in the app's directory. */
        public String fileName() {
            return fileName;
        }
    }

    private static final String BASE = "/org/elves/apps/";
    private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private record Example(Sdk sdk, List<String> files) {
    }

    private static final Map<String, Example> EXAMPLES = loadIndex();

    private AppInstaller() {
    }

    /** Names of the example apps this jar carries (apptest, shelltest). */
    public static List<String> examples() {
        return List.copyOf(EXAMPLES.keySet());
    }

    /**
     * Installs (or refreshes) an example app with its SDK entry.
     *
     * @return the app's directory
     * @throws IllegalArgumentException for a name that is not one of {@link #examples()}
     */
    public static Path installExample(String app, Path appsDir) throws IOException {
        Example example = EXAMPLES.get(app);
        if (example == null) {
            throw new IllegalArgumentException("no example app [" + app + "]; examples: " + examples());
        }
        Path dir = Files.createDirectories(appsDir.resolve(app));
        for (String file : example.files()) {
            copy(BASE + "examples/" + app + "/" + file, dir, file, isEntry(file));
        }
        installSdkEntry(dir, example.sdk());
        return dir;
    }

    /** Puts the SDK's entry into an app directory that already holds the app's own files. */
    public static Path installSdkEntry(Path appDir, Sdk sdk) throws IOException {
        Path name = appDir.getFileName(); // null for a root, which names no app
        if (name == null || !APP_NAME.matcher(name.toString()).matches()) {
            throw new IllegalArgumentException("[" + name + "] is not a valid app name");
        }
        return copy(BASE + "sdk/" + sdk.resource, appDir, sdk.fileName(), sdk == Sdk.PYTHON);
    }

    private static boolean isEntry(String file) {
        return file.startsWith("app-worker");
    }

    /**
     * Written beside the target and moved into place, so an agent never runs a half-written file.
     *
     * @return the file written, {@code name} in {@code dir}
     */
    private static Path copy(String resource, Path dir, String name, boolean executable) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = AppInstaller.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " missing from the elves-apps jar");
            }
            Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return target;
    }

    private static Map<String, Example> loadIndex() {
        Map<String, Example> out = new LinkedHashMap<>();
        try (InputStream in = AppInstaller.class.getResourceAsStream(BASE + "examples.txt")) {
            if (in == null) {
                throw new IllegalStateException("examples.txt missing from the elves-apps jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                List<String> words = Arrays.asList(l.split("\\s+"));
                out.put(words.get(0), new Example(Sdk.valueOf(words.get(1).toUpperCase()),
                        List.copyOf(words.subList(2, words.size()))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}

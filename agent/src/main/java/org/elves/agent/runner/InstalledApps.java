package org.elves.agent.runner;

import org.elves.protocol.FilePaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The apps in an apps directory: {@code <appsDir>/<app>/} with a worker entry. A version comes
 * from the distribution that installed the app (see {@link AppGate}), else the configured map,
 * else the app's VERSION file, else "0". Directories starting with a dot (the installer's
 * {@code .staging}, {@code .retired}) are never apps.
 */
public final class InstalledApps {
    public static final String PYTHON_ENTRY = "app-worker.py";
    public static final String SHELL_ENTRY = "app-worker.sh";
    public static final String BINARY_ENTRY = "app-worker";
    public static final String VERSION_FILE = "VERSION";

    // an app name becomes a directory name and a Python module name: no separators, no dot-dirs
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private final Path appsDir;
    private final Map<String, String> configured;
    private final AppGate gate;

    public InstalledApps(Path appsDir, Map<String, String> configuredVersions) {
        this(appsDir, configuredVersions, new AppGate());
    }

    /** @param gate shared with the installer of this apps dir */
    public InstalledApps(Path appsDir, Map<String, String> configuredVersions, AppGate gate) {
        this.appsDir = appsDir;
        this.configured = Map.copyOf(configuredVersions);
        this.gate = gate;
    }

    public AppGate gate() {
        return gate;
    }

    public Path appsDir() {
        return appsDir;
    }

    /** Whether the text can name an app at all (no path tricks). */
    public static boolean isValidName(String app) {
        return app != null && NAME.matcher(app).matches();
    }

    /** The app's directory, or null when the name is invalid or no such directory exists. */
    public Path directoryOf(String app) {
        if (!isValidName(app)) {
            return null;
        }
        Path dir = appsDir.resolve(app);
        return Files.isDirectory(dir) ? dir : null;
    }

    /** Installed apps and their versions, sorted by name. */
    public Map<String, String> versions() {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(appsDir)) {
            return out;
        }
        // not while an update renames an app's directory (it would be missing for a moment)
        gate.startLock().lock();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(appsDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                String app = FilePaths.name(dir);
                if (isValidName(app) && (configured.containsKey(app) || gate.distributedVersion(app) != null
                        || hasDefaultEntry(dir))) {
                    out.put(app, versionOf(app, dir));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list apps in " + appsDir + ": " + e.getMessage(), e);
        } finally {
            gate.startLock().unlock();
        }
        return out;
    }

    /** The version of one installed app, null when it is not installed. */
    public String versionOf(String app) {
        Path dir = directoryOf(app);
        if (dir == null || !(configured.containsKey(app) || gate.distributedVersion(app) != null
                || hasDefaultEntry(dir))) {
            return null;
        }
        return versionOf(app, dir);
    }

    private String versionOf(String app, Path dir) {
        String d = gate.distributedVersion(app);
        if (d != null) {
            return d;
        }
        String v = configured.get(app);
        if (v != null && !v.isBlank()) {
            return v;
        }
        Path file = dir.resolve(VERSION_FILE);
        if (Files.isRegularFile(file)) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                int eol = text.indexOf('\n');
                text = (eol < 0 ? text : text.substring(0, eol)).strip();
                if (!text.isEmpty()) {
                    return text;
                }
            } catch (IOException e) {
                // an unreadable VERSION is reported as unknown rather than hiding the app
                return "0";
            }
        }
        return "0";
    }

    static boolean hasDefaultEntry(Path dir) {
        return Files.isRegularFile(dir.resolve(PYTHON_ENTRY))
                || Files.isRegularFile(dir.resolve(SHELL_ENTRY))
                || Files.isExecutable(dir.resolve(BINARY_ENTRY)) && Files.isRegularFile(dir.resolve(BINARY_ENTRY));
    }
}

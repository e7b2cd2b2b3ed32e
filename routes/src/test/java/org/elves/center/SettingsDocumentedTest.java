package org.elves.center;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each setting's default lives in one defaults file and each setting is in
 * docs/configuration.md: a second default at a call site would silently win over the file in a
 * process or test that forgets the file, and an undocumented key is one nobody can set. A
 * component's code reads only keys of the shared files or of its own: a process loads no other
 * component's defaults. Scans the main sources of the modules that read the center's config (the
 * agent has its own settings, checked by the agent's SettingsDocumentedTest). Every key the
 * document names is read somewhere too.
 */
class SettingsDocumentedTest {
    private static final List<Path> JAVA_SOURCES = List.of(Path.of("src/main/java"),
            Path.of("../config/src/main/java"), Path.of("../standalone/src/main/java"),
            Path.of("../cli/src/main/java"), Path.of("../bench/src/main/java"));
    private static final Path YAML_ROUTES = Path.of("src/main/resources/org/elves/center");
    private static final List<Path> DEFAULTS_DIRS = List.of(Path.of("src/main/resources"),
            Path.of("../config/src/main/resources"));
    private static final Path DOCS = Path.of("../docs/configuration.md");
    /** Sources below these belong to the component of their first folder (scheduler, queue, ...). */
    private static final List<Path> COMPONENT_ROOTS = List.of(Path.of("src/main/java/org/elves/center"), YAML_ROUTES);
    /** Every process loads these; a component's own file only the processes that run it. */
    private static final List<String> SHARED_DEFAULTS = List.of("elves-defaults.properties",
            "elves-center-defaults.properties");

    /** Read before any defaults file is chosen (they choose the files), so documented without a default. */
    private static final Set<String> BOOTSTRAP_KEYS = Set.of("elves.components", "elves.config.file");
    /** String literals that look like keys and are not settings. */
    private static final Set<String> NOT_KEYS = Set.of(
            "elves.h2"); // the standalone's embedded database file
    /** component:key read from another component's defaults, only in a process that runs both. */
    private static final Set<String> GUARDED_READS = Set.of(
            "supervisor:elves.openapi.port"); // PublishedTables, when OpenAPI serves the packages

    /** A key literal; one ending in '.' or followed by '+' is the prefix of keys built at runtime. */
    private static final Pattern JAVA_KEY = Pattern.compile("\"(elves\\.[a-z0-9][a-z0-9.-]*)\"(\\s*\\+)?");
    private static final Pattern KEY_CONSTANT = Pattern.compile(
            "static final String ([A-Z][A-Z0-9_]*) = \"elves\\.");
    /** The key argument of a lookup that takes a default after it. */
    private static final Pattern DEFAULTED_LOOKUP = Pattern.compile(
            "\\b(?:get|getInt|getLong|getBoolean|getDuration)\\(\\s*([^,()]+),");
    private static final Pattern INJECT_DEFAULT = Pattern.compile("@PropertyInject\\([^)]*defaultValue");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(elves\\.[^}:]+)(:[^}]*)?}}");
    private static final Pattern TABLE_KEYS = Pattern.compile("`([^`]+)`");

    @Test
    void everyKeyReadHasOneDefaultAndIsDocumented() throws IOException {
        Map<String, Set<String>> defaults = defaultKeys();
        Set<String> documented = documentedKeys();
        List<String> problems = new ArrayList<>();
        List<Path> javaFiles = files(JAVA_SOURCES, ".java");
        Set<String> keyConstants = new TreeSet<>();
        for (Path file : javaFiles) {
            Matcher m = KEY_CONSTANT.matcher(Files.readString(file));
            while (m.find()) {
                keyConstants.add(m.group(1));
            }
        }
        Pattern constantKey = Pattern.compile("\\b(?:" + String.join("|", keyConstants) + ")\\b");
        for (Path file : javaFiles) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String trimmed = line.strip();
                if (trimmed.startsWith("*") || trimmed.startsWith("//") || trimmed.startsWith("/*")) {
                    continue;
                }
                String where = file + ":" + (i + 1);
                String component = componentOf(file);
                Matcher key = JAVA_KEY.matcher(line);
                while (key.find()) {
                    boolean prefix = key.group(1).endsWith(".") || key.group(2) != null;
                    check(key.group(1), prefix, component, where, defaults, documented, problems);
                }
                Matcher lookup = DEFAULTED_LOOKUP.matcher(line);
                while (lookup.find()) {
                    String argument = lookup.group(1);
                    if (argument.contains("\"elves.") || constantKey.matcher(argument).find()) {
                        problems.add(where + ": a second default for " + argument.strip()
                                + " (take it from the defaults file: require*, or optional for a key without one)");
                    }
                }
                if (INJECT_DEFAULT.matcher(line).find()) {
                    problems.add(where + ": @PropertyInject with a defaultValue (take it from the defaults file)");
                }
            }
        }
        for (Path file : files(List.of(YAML_ROUTES), ".yaml")) {
            List<String> lines = Files.readAllLines(file);
            String component = componentOf(file);
            for (int i = 0; i < lines.size(); i++) {
                String where = file + ":" + (i + 1);
                Matcher placeholder = PLACEHOLDER.matcher(lines.get(i));
                while (placeholder.find()) {
                    check(placeholder.group(1), false, component, where, defaults, documented, problems);
                    if (placeholder.group(2) != null) {
                        problems.add(where + ": a second default in {{" + placeholder.group(1) + placeholder.group(2)
                                + "}} (the defaults file has the key's default)");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * The other way round: every key docs/configuration.md documents for the center is read by
     * the code (a key literal, a route's placeholder, or for a pattern such as
     * {@code elves.processor.<app>} the prefix the code builds its keys from), so the document
     * names no setting that does nothing.
     */
    @Test
    void everyDocumentedKeyIsRead() throws IOException {
        Set<String> read = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        for (Path file : files(JAVA_SOURCES, ".java")) {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.startsWith("*") || trimmed.startsWith("//") || trimmed.startsWith("/*")) {
                    continue;
                }
                Matcher key = JAVA_KEY.matcher(line);
                while (key.find()) {
                    boolean prefix = key.group(1).endsWith(".") || key.group(2) != null;
                    (prefix ? prefixes : read).add(key.group(1));
                }
            }
        }
        for (Path file : files(List.of(YAML_ROUTES), ".yaml")) {
            Matcher placeholder = PLACEHOLDER.matcher(Files.readString(file));
            while (placeholder.find()) {
                read.add(placeholder.group(1));
            }
        }
        List<String> unread = new ArrayList<>();
        for (String key : documentedKeys()) {
            int pattern = key.indexOf('<');
            boolean isRead = pattern < 0 ? read.contains(key) : prefixes.contains(key.substring(0, pattern));
            if (!isRead) {
                unread.add(key);
            }
        }
        assertEquals(List.of(), unread, "documented in " + DOCS + " but read nowhere in " + JAVA_SOURCES + " or "
                + YAML_ROUTES);
        assertTrue(read.contains("elves.openapi.sign.window-seconds") && prefixes.contains("elves.processor."),
                "the scan finds keys and prefixes: " + read + " " + prefixes);
    }

    /** The scan would pass on nothing at all: make sure it sees what it should. */
    @Test
    void theScanFindsTheSettings() throws IOException {
        assertFalse(files(JAVA_SOURCES, ".java").isEmpty());
        assertFalse(files(List.of(YAML_ROUTES), ".yaml").isEmpty());
        Set<String> documented = documentedKeys();
        for (String key : List.of("elves.mq.port", "elves.openapi.auth.key", "elves.openapi.supervisor-keys-poll-ms",
                "elves.http.max-header-bytes", "elves.processor.<app>", "elves.timeout")) {
            assertTrue(documented.contains(key), key + " in " + documented);
        }
        Map<String, Set<String>> defaults = defaultKeys();
        assertTrue(defaults.get("elves-defaults.properties").contains("elves.zookeeper.root"), defaults.toString());
        assertTrue(defaults.get("elves-queue-defaults.properties").contains("elves.queue.sweep-ms"), defaults.toString());
        assertEquals("queue", componentOf(YAML_ROUTES.resolve("queue/queue-inbox.camel.yaml")));
    }

    private static void check(String key, boolean prefix, String component, String where,
            Map<String, Set<String>> defaults, Set<String> documented, List<String> problems) {
        if (NOT_KEYS.contains(key)) {
            return;
        }
        if (prefix) {
            if (documented.stream().noneMatch(d -> d.startsWith(key) && d.indexOf('<') == key.length())) {
                problems.add(where + ": keys " + key + "<...> are read but not documented as a pattern in " + DOCS);
            }
            return;
        }
        List<String> holders = defaults.entrySet().stream().filter(e -> e.getValue().contains(key))
                .map(Map.Entry::getKey).toList();
        if (holders.isEmpty() && !BOOTSTRAP_KEYS.contains(key)) {
            problems.add(where + ": " + key + " is read but has no default in any elves-*defaults.properties");
        }
        String own = "elves-" + component + "-defaults.properties";
        if (component != null && !holders.isEmpty() && !GUARDED_READS.contains(component + ":" + key)
                && holders.stream().noneMatch(h -> SHARED_DEFAULTS.contains(h) || h.equals(own))) {
            problems.add(where + ": " + key + " is read by " + component + " but its default is in " + holders
                    + ", which a " + component + " process may not load (move it to elves-center-defaults.properties)");
        }
        if (!documented.contains(key)) {
            problems.add(where + ": " + key + " is read but not documented in " + DOCS);
        }
    }

    /** The keys of each defaults file, by file name. */
    private static Map<String, Set<String>> defaultKeys() throws IOException {
        Map<String, Set<String>> keys = new TreeMap<>();
        for (Path file : files(DEFAULTS_DIRS, "defaults.properties")) {
            if (file.getFileName().toString().startsWith("elves-")) {
                Properties properties = new Properties();
                try (Reader in = Files.newBufferedReader(file)) {
                    properties.load(in);
                }
                keys.put(file.getFileName().toString(), properties.stringPropertyNames());
            }
        }
        return keys;
    }

    /**
     * The keys of the first column of the tables in the section "## Center". A row may abbreviate
     * the keys after its first one: {@code .port} replaces as many trailing parts, {@code -poll-ms}
     * is appended, and a bare {@code max-header-bytes} replaces the last part.
     */
    private static Set<String> documentedKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        boolean center = false;
        for (String line : Files.readAllLines(DOCS)) {
            if (line.startsWith("## ")) {
                center = line.equals("## Center"); // the agent's section has keys of its own
            }
            String[] cells = line.split("\\|");
            if (!center || !line.startsWith("|") || cells.length < 2) {
                continue;
            }
            Matcher m = TABLE_KEYS.matcher(cells[1]);
            String first = null;
            while (m.find()) {
                String token = m.group(1);
                if (token.startsWith("elves.")) {
                    keys.add(token);
                    first = first == null ? token : first;
                } else if (first != null) {
                    keys.add(expand(first, token));
                }
            }
        }
        return keys;
    }

    private static String expand(String first, String token) {
        if (token.startsWith("-")) {
            return first + token;
        }
        int parts = token.startsWith(".") ? token.split("\\.").length - 1 : 1;
        String base = first;
        for (int i = 0; i < parts; i++) {
            base = base.substring(0, base.lastIndexOf('.'));
        }
        return base + (token.startsWith(".") ? token : "." + token);
    }

    /** The component folder a source is in; null for code shared by several (Center, other modules). */
    private static String componentOf(Path file) {
        for (Path root : COMPONENT_ROOTS) {
            if (file.startsWith(root) && root.relativize(file).getNameCount() > 1) {
                return root.relativize(file).getName(0).toString();
            }
        }
        return null;
    }

    private static List<Path> files(List<Path> roots, String suffix) {
        List<Path> found = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IllegalStateException(root.toAbsolutePath() + " is missing: run the test from the routes module");
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(suffix)).sorted().forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }
}

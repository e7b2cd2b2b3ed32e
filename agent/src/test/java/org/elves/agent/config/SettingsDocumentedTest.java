package org.elves.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elves.agent.AgentCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The agent's table in docs/configuration.md ("## Agent") and the code agree both ways: every
 * cfg.json key the agent reads and every option of {@code elves agent} is documented, and every
 * documented key and option exists. Keys are read by {@link ConfigFile} only; options are
 * {@link AgentCommand}'s.
 */
class SettingsDocumentedTest {
    private static final Path DOCS = Path.of("../docs/configuration.md");
    private static final Path READER = Path.of("src/main/java/org/elves/agent/config/ConfigFile.java");
    /** A key literal handed to one of ConfigFile's typed lookups. */
    private static final Pattern READ_KEY = Pattern.compile(
            "\\b(?:text|textOr|integer|intOr|longInteger|bool|textList|endpoints|containsKey|get)\\(\"([a-z][a-z0-9.-]*)\"");
    private static final Pattern CELL_TOKEN = Pattern.compile("`([^`]+)`");

    /** What the table says: its keys (first column) and options (second column). */
    private record Documented(Set<String> keys, Set<String> options) {
    }

    @TempDir
    Path dir;

    /**
     * Every documented key is read: a file setting it alone to a value no key accepts (a list
     * holding a list) is refused naming that key. An unread key would be ignored, as the
     * original's unused keys are, and the file would load.
     */
    @Test
    void everyDocumentedKeyIsRead() throws IOException {
        List<String> unread = new ArrayList<>();
        for (String key : documented().keys()) {
            Path file = dir.resolve("cfg.json");
            Files.writeString(file, "{\"" + key + "\": [[1]]}");
            try {
                ConfigFile.load(file);
                unread.add(key);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains("'" + key + "' must be"), key + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), unread, "documented in " + DOCS + " but ignored by ConfigFile");
    }

    /** Every key ConfigFile looks up is in the table. */
    @Test
    void everyKeyReadIsDocumented() throws IOException {
        Set<String> read = new TreeSet<>();
        Matcher m = READ_KEY.matcher(Files.readString(READER));
        while (m.find()) {
            read.add(m.group(1));
        }
        // the scan sees what it should: plain, dotted, aliased and list-valued keys
        assertTrue(read.containsAll(List.of("ip", "heartbeat.addrs", "cron.outboxmax", "outbox.max", "apps",
                "apps.maxpackagebytes", "authips")), read.toString());
        Set<String> undocumented = new TreeSet<>(read);
        undocumented.removeAll(documented().keys());
        assertEquals(Set.of(), undocumented, "read by " + READER + " but not documented in " + DOCS);
    }

    /** The options of {@code elves agent} and the table's option column are the same set. */
    @Test
    void optionsAndTheTableAgree() throws IOException {
        Set<String> options = new TreeSet<>();
        for (OptionSpec option : new CommandLine(new AgentCommand()).getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                options.addAll(List.of(option.names()));
            }
        }
        assertTrue(options.contains("--state-dir") && options.contains("--cron-outbox-max"), options.toString());
        assertEquals(options, documented().options(), "options of elves agent and the option column of " + DOCS);
    }

    private static Documented documented() throws IOException {
        Set<String> keys = new TreeSet<>();
        Set<String> options = new TreeSet<>();
        boolean agent = false;
        boolean table = false;
        for (String line : Files.readAllLines(DOCS)) {
            if (line.startsWith("## ")) {
                agent = line.equals("## Agent");
            }
            String[] cells = line.split("\\|");
            if (!agent || !line.startsWith("|") || cells.length < 3) {
                continue;
            }
            if (cells[1].strip().equals("cfg.json key")) {
                assertEquals("option", cells[2].strip(), line);
                table = true;
                continue;
            }
            for (String key : tokens(cells[1])) {
                if (!key.matches("[a-z][a-z0-9.-]*")) {
                    fail(DOCS + ": '" + key + "' is not a cfg.json key: " + line);
                }
                keys.add(key);
            }
            for (String option : tokens(cells[2])) {
                if (!option.startsWith("--")) {
                    fail(DOCS + ": '" + option + "' is not an option: " + line);
                }
                options.add(option);
            }
        }
        assertTrue(table && keys.size() > 30, "the agent's table in " + DOCS + ": " + keys);
        return new Documented(keys, options);
    }

    private static List<String> tokens(String cell) {
        List<String> tokens = new ArrayList<>();
        Matcher m = CELL_TOKEN.matcher(cell);
        while (m.find()) {
            tokens.add(m.group(1));
        }
        return tokens;
    }
}

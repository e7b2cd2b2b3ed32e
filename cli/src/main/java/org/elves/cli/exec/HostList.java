package org.elves.cli.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The target addresses of {@code --ip}: words separated by commas or white space, where a word
 * {@code @FILE} stands for the addresses in that file (one a line; blank lines and {@code #}
 * comments ignored). Every address must be a dotted IPv4, since that is how agents are keyed;
 * repeats are dropped so no machine runs the same call twice.
 */
public final class HostList {
    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");
    /** 0-255 without leading zeros: "010" would be octal 8 to some tools and ten to others. */
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private HostList() {
    }

    /** The distinct addresses in first-seen order; IllegalArgumentException says what is wrong. */
    public static List<String> parse(List<String> specs) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String spec : specs) {
            for (String word : words(spec)) {
                if (word.startsWith("@")) {
                    hosts.addAll(readFile(word.substring(1)));
                } else {
                    hosts.add(checked(word, ""));
                }
            }
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("--ip names no address");
        }
        return List.copyOf(hosts);
    }

    public static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    private static List<String> readFile(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("--ip '@' needs a file name, as in @hosts.txt");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--ip @" + name + ": cannot read the file ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = comment < 0 ? line : line.substring(0, comment);
            for (String word : words(content)) {
                hosts.add(checked(word, " in @" + name + " line " + (i + 1)));
            }
        }
        return hosts;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : SEPARATORS.split(text.strip())) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    private static String checked(String word, String where) {
        if (!isIpv4(word)) {
            throw new IllegalArgumentException("--ip: '" + word + "'" + where
                    + " is not a dotted IPv4 address (four numbers 0-255, as in 10.0.0.1)");
        }
        return word;
    }
}

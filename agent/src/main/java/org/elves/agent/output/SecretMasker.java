package org.elves.agent.output;

import org.elves.agent.LightJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@value #MASK} over the secrets of one task in its output before it leaves the machine:
 * the values the task's param holds under a secret's name (at any depth), and whatever follows
 * {@code name=}, {@code name: } or {@code "name": "} in the text, so a secret the worker got some
 * other way is caught when it is printed the usual ways.
 */
public final class SecretMasker {
    public static final String MASK = "***";
    /** Shorter values are left alone: masking "1" or "abc" everywhere would garble the output. */
    static final int MIN_VALUE_CHARS = 4;
    public static final SecretMasker NONE = new SecretMasker(List.of(), null, 0);

    /** Longest first, so a value containing another is masked whole. */
    private final List<String> values;
    private final Pattern assignment;
    /** The last characters of a text in which a secret may begin and not be finished yet. */
    private final int reach;

    private SecretMasker(List<String> values, Pattern assignment, int longestName) {
        this.values = values;
        this.assignment = assignment;
        // a name, a quote, a colon, blanks and a quote come before an assignment's value
        this.reach = Math.max(values.isEmpty() ? 0 : values.get(0).length(), longestName + 8);
    }

    /**
     * @param names     the app's secret field names (appcfg.json {@code Secrets})
     * @param paramJson the task's param; text that is not JSON gives no values (the names still mask)
     */
    public static SecretMasker of(List<String> names, String paramJson) {
        List<String> usable = new ArrayList<>();
        for (String name : names) {
            if (name != null && !name.isBlank()) {
                usable.add(name.strip());
            }
        }
        if (usable.isEmpty()) {
            return NONE;
        }
        Set<String> lowerNames = new TreeSet<>();
        usable.forEach(n -> lowerNames.add(n.toLowerCase(Locale.ROOT)));
        Set<String> found = new TreeSet<>();
        if (paramJson != null && !paramJson.isBlank()) {
            try {
                collect(LightJson.parse(paramJson), lowerNames, found);
            } catch (IOException e) {
                // not JSON: nothing to take values from
            }
        }
        List<String> values = new ArrayList<>(found);
        values.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMasker(values, assignmentOf(usable), usable.stream().mapToInt(String::length).max().orElse(0));
    }

    private static void collect(Object node, Set<String> lowerNames, Set<String> found) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object v = e.getValue();
                boolean secret = lowerNames.contains(String.valueOf(e.getKey()).toLowerCase(Locale.ROOT));
                if (secret && (v instanceof String || v instanceof Number)) {
                    String text = v.toString();
                    if (text.length() >= MIN_VALUE_CHARS) {
                        found.add(text);
                    }
                } else {
                    collect(v, lowerNames, found);
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, lowerNames, found));
        }
    }

    /** {@code name=v}, {@code name: v}, {@code "name": "v"}: the value runs up to a blank, quote, comma or &. */
    private static Pattern assignmentOf(List<String> names) {
        StringBuilder alternatives = new StringBuilder();
        for (String name : names) {
            alternatives.append(alternatives.length() == 0 ? "" : "|").append(Pattern.quote(name));
        }
        return Pattern.compile("((?:" + alternatives + ")\"?(?:=|:[ \\t]*\"?))[^\\s\"',&]+",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** Whether this masker may change any text (the app names secrets). */
    public boolean masks() {
        return assignment != null;
    }

    /**
     * Where a text whose continuation is not known yet may be cut so that masking each part alone
     * masks every secret: before any secret that reaches into the last {@link #reach} characters
     * or crosses the cut (a known value; a name with its value, which runs until a blank, quote,
     * comma or &). 0 when no such place is left (one assignment's value runs over the whole text).
     */
    public int safeEnd(String text) {
        int cut = Math.max(0, text.length() - reach);
        boolean moved = true;
        while (moved && cut > 0) {
            moved = false;
            for (String value : values) {
                int at = text.indexOf(value, Math.max(0, cut - value.length() + 1));
                if (at >= 0 && at < cut) {
                    cut = at;
                    moved = true;
                }
            }
            Matcher m = assignment.matcher(text);
            while (m.find() && m.start() < cut) {
                if (m.end() > cut) {
                    cut = m.start();
                    moved = true;
                }
            }
        }
        // not between the two halves of a character beyond the BMP
        return cut > 0 && Character.isLowSurrogate(text.charAt(cut)) ? cut - 1 : cut;
    }

    public String mask(String text) {
        if (assignment == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String value : values) {
            masked = masked.replace(value, MASK);
        }
        Matcher m = assignment.matcher(masked);
        return m.find() ? m.replaceAll("$1" + Matcher.quoteReplacement(MASK)) : masked;
    }
}

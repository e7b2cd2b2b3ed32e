package org.elves.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} options of a benchmark, all whole numbers with defaults. */
final class Options {
    private Options() {
    }

    static Map<String, Integer> parse(String[] args, Map<String, Integer> defaults) {
        Map<String, Integer> options = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String name = args[i].replaceFirst("^--", "");
            if (!defaults.containsKey(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: " + defaults.keySet());
            }
            options.put(name, Integer.parseInt(args[++i]));
        }
        return options;
    }
}

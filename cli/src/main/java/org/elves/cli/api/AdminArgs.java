package org.elves.cli.api;

import org.elves.cli.exec.HostList;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of the admin commands' arguments (app, key), made before any request. */
public final class AdminArgs {
    /** App names as the Supervisor takes them: lower-case letters, digits and '-', no '_'. */
    private static final Pattern APP = Pattern.compile("[a-z0-9][a-z0-9-]{0,29}");
    private static final Pattern NETWORK = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}/([0-9]|[12][0-9]|3[0-2])");
    private static final Pattern CATEGORY = Pattern.compile("@[a-z0-9][a-z0-9-]{0,63}");

    private AdminArgs() {
    }

    public static String checkApp(String app) {
        String a = app == null ? "" : app.trim();
        if (!APP.matcher(a).matches()) {
            throw new IllegalArgumentException("--app '" + app + "' is not an app name: 1-30 lower-case letters, digits "
                    + "and '-' (no '_')");
        }
        return a;
    }

    /**
     * "*" alone, or a comma list of agent addresses, networks (a.b.c.d/n) and categories (@name);
     * normalised to "a,b" or "*".
     */
    public static String agents(String option, String spec) {
        String s = spec == null ? "" : spec.trim();
        if (s.equals("*")) {
            return s;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException(option + " needs agent addresses, networks (a.b.c.d/n) or categories (@name), "
                    + "or '*' for every agent");
        }
        if (s.contains("*")) {
            throw new IllegalArgumentException(option + " is either '*' alone or a list of addresses");
        }
        List<String> out = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (NETWORK.matcher(p).matches() || CATEGORY.matcher(p).matches()) {
                out.add(p);
            } else if (!p.isEmpty()) {
                hosts.add(p);
            }
        }
        try {
            if (!hosts.isEmpty()) {
                out.addAll(HostList.parse(List.of(String.join(",", hosts))));
            }
        } catch (IllegalArgumentException e) {
            // HostList speaks of --ip; say which option it was
            throw new IllegalArgumentException(e.getMessage().replace("--ip", option), e);
        }
        return String.join(",", out.stream().distinct().toList());
    }
}

package org.elves.cli.queue;

import org.elves.cli.exec.HostList;
import org.elves.cli.exec.JsonArgument;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one queue task runs where: the options shared by {@code queue add} and {@code queue run}. */
final class TaskOptions {
    @Option(names = "--ip", required = true, paramLabel = "IP", description = "Agent address (dotted IPv4).")
    String ip;

    @Option(names = "--func", required = true, paramLabel = "FUNC", description = "Function of the queue's app.")
    String func;

    @Option(names = "--param", paramLabel = "JSON", description = "Parameters for the function, as JSON.")
    String param;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "Worker time limit on the agent (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--proxy", paramLabel = "ENTRY", description = "Custom worker entry on the agent.")
    String proxy;

    @Option(names = "--mode", paramLabel = "NP|P", defaultValue = "NP",
            description = "P also delivers the result to the app's processor (default: ${DEFAULT-VALUE}).")
    String mode;

    void check() {
        List<String> hosts = HostList.parse(List.of(ip));
        if (hosts.size() != 1) {
            throw new IllegalArgumentException("--ip takes one address: a queue task runs on one agent "
                    + "(add one task per agent)");
        }
        if (func.isBlank()) {
            throw new IllegalArgumentException("--func must not be blank");
        }
        if (param != null && !param.isBlank()) {
            JsonArgument.check("--param", param);
        }
        if (timeout < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        String m = mode.trim().toUpperCase(Locale.ROOT);
        if (!m.equals("NP") && !m.equals("P")) {
            throw new IllegalArgumentException("--mode must be NP or P, not '" + mode + "'");
        }
        mode = m;
    }

    /** The task's request parameters; optional ones only when given. */
    void putInto(Map<String, String> params) {
        params.put("ip", ip.strip());
        params.put("func", func);
        if (param != null && !param.isBlank()) {
            params.put("param", param);
        }
        params.put("timeout", Integer.toString(timeout));
        if (proxy != null && !proxy.isBlank()) {
            params.put("proxy", proxy);
        }
        params.put("mode", mode);
    }
}

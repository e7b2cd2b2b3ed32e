package org.elves.cli.cron;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import org.elves.cli.exec.HostList;
import org.elves.cli.exec.JsonArgument;
import org.elves.protocol.CronRule;
import org.elves.protocol.ElvesException;
import org.elves.protocol.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code elves cron add --ip IP --app APP --func F --rule RULE ...}: a new cron; prints its id. */
@Command(name = "add", description = {
        "Add a cron: FUNC of APP runs on the agent IP each time RULE fires; prints the cron id.",
        "RULE is Quartz syntax: seconds minutes hours day-of-month month day-of-week [year], e.g. "
                + "'0/5 * * * * ?' (every 5 s) or '0 30 2 ? * MON-FRI' (2:30 on weekdays); quote it for the shell."})
public final class CronAdd extends CronSubcommand {
    static final String PATH = "/api/v2/cron/add";

    @Option(names = "--ip", required = true, paramLabel = "IP", description = "Agent address (dotted IPv4).")
    String ip;

    @Option(names = "--app", required = true, paramLabel = "APP", description = "App to run.")
    String app;

    @Option(names = "--func", required = true, paramLabel = "FUNC", description = "Function of the app.")
    String func;

    @Option(names = "--rule", required = true, paramLabel = "RULE", description = "Quartz cron rule.")
    String rule;

    @Option(names = "--param", paramLabel = "JSON", description = "Parameters for the function, as JSON.")
    String param;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "Worker time limit on the agent (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--mode", paramLabel = "NP|P", defaultValue = "NP",
            description = "P also delivers each result to the app's processor (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--timezone", paramLabel = "ZONE",
            description = "Time zone of the rule: an id such as Europe/Berlin, UTC or +08:00 (default: UTC).")
    String timezone;

    @Option(names = "--side", paramLabel = "center|agent", defaultValue = "center",
            description = "Who fires the rule: the center, or the agent itself (default: ${DEFAULT-VALUE}).")
    String side;

    @Option(names = "--proxy", paramLabel = "ENTRY", description = "Custom worker entry on the agent.")
    String proxy;

    @Override
    protected void check() {
        List<String> hosts = HostList.parse(List.of(ip));
        if (hosts.size() != 1) {
            throw new IllegalArgumentException("--ip takes one address: a cron runs on one agent (add one per agent)");
        }
        ip = hosts.get(0);
        if (app.isBlank()) {
            throw new IllegalArgumentException("--app must not be blank");
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
        String s = side.trim().toLowerCase(Locale.ROOT);
        if (!s.equals("center") && !s.equals("agent")) {
            throw new IllegalArgumentException("--side must be center or agent, not '" + side + "'");
        }
        side = s;
        checkRule(rule, timezone);
    }

    /** The same parser as the center's: a rule refused here would be refused there (403.5, 403.11). */
    static void checkRule(String rule, String timezone) {
        try {
            CronRule.parse(rule, null);
        } catch (ElvesException e) {
            throw new IllegalArgumentException("--rule " + detail(e) + "; Quartz syntax is seconds minutes hours "
                    + "day-of-month month day-of-week [year] with '?' in one of the two day fields, e.g. '0/5 * * * * ?'");
        }
        try {
            CronRule.zone(timezone);
        } catch (ElvesException e) {
            throw new IllegalArgumentException("--timezone " + detail(e));
        }
    }

    /** The coded error's explanation without its "[403.5]Request Params (cron-rule) Illegal: " prefix. */
    private static String detail(ElvesException e) {
        String message = e.getMessage();
        String prefix = e.code().text() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** The request's parameters; optional ones only when given. */
    Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ip", ip);
        params.put("app", app);
        params.put("func", func);
        if (param != null && !param.isBlank()) {
            params.put("param", param);
        }
        params.put("timeout", Integer.toString(timeout));
        params.put("mode", mode);
        params.put("rule", rule.trim());
        if (timezone != null && !timezone.isBlank()) {
            params.put("timezone", timezone.trim());
        }
        params.put("side", side);
        if (proxy != null && !proxy.isBlank()) {
            params.put("proxy", proxy);
        }
        return params;
    }

    @Override
    protected int run(ElvesApiClient client) {
        JsonNode result = call(client, PATH, params());
        JsonNode id = result.path("id");
        if (!id.isValueNode() || id.asText().isEmpty()) {
            throw new ApiFailure(EXIT_API_ERROR, "the API accepted the call but its answer has no id: " + result);
        }
        if (json) {
            printJson(Json.MAPPER.createObjectNode().put("id", id.asText()));
        } else {
            out().println(id.asText());
            out().flush();
        }
        return EXIT_OK;
    }
}

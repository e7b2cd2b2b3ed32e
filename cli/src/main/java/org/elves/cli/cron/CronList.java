package org.elves.cli.cron;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import org.elves.cli.exec.HostList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

/** {@code elves cron list --ip IP}: the crons of one agent as a table, newest first. */
@Command(name = "list", description = "List the crons that run on one agent, newest first: id, app, func, "
        + "mode, side, rule, state, next fire and last run.")
public final class CronList extends CronSubcommand {
    static final String PATH = "/api/v2/cron/list";

    @Option(names = "--ip", required = true, paramLabel = "IP", description = "Agent address (dotted IPv4).")
    String ip;

    @Override
    protected void check() {
        List<String> hosts = HostList.parse(List.of(ip));
        if (hosts.size() != 1) {
            throw new IllegalArgumentException("--ip takes one address");
        }
        ip = hosts.get(0);
    }

    @Override
    protected int run(ElvesApiClient client) {
        JsonNode result = call(client, PATH, Map.of("ip", ip));
        if (json) {
            printJson(result);
        } else {
            CronText.table(ip, result, columns()).forEach(out()::println);
            out().flush();
        }
        return EXIT_OK;
    }
}

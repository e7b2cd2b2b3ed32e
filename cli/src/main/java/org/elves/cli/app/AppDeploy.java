package org.elves.cli.app;

import org.elves.cli.api.AdminArgs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elves.cli.api.ElvesApiClient;
import org.elves.protocol.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code elves app deploy --app APP [--version V] [--agents IPS|'*']}: the version agents must run
 * (roll-out and roll-back alike) and/or the agents that get the app.
 */
@Command(name = "deploy", description = {
        "Choose the version every agent of the app runs (roll-out, or roll-back to an older upload) and/or "
                + "which agents get the app: addresses a,b,... or '*' for every agent (quote it for the shell).",
        "With both, the version is set first, so new agents start with it."})
public final class AppDeploy extends AppSubcommand {
    static final String ONLINE = "/api/v2/admin/app/online";
    static final String DEPLOY = "/api/v2/admin/app/deploy";

    @Option(names = "--app", required = true, paramLabel = "APP", description = "App id.")
    String app;

    @Option(names = "--version", paramLabel = "VERSION", description = "Uploaded version agents must run.")
    String version;

    @Option(names = "--agents", paramLabel = "IPS|*", description = "Agents that get the app: a,b,... or '*'.")
    String agents;

    @Override
    protected void check() {
        app = AdminArgs.checkApp(app);
        if (version == null && agents == null) {
            throw new IllegalArgumentException("give --version, --agents or both: nothing to deploy");
        }
        if (version != null) {
            version = checkVersion(version);
        }
        if (agents != null) {
            agents = AdminArgs.agents("--agents", agents);
        }
    }

    @Override
    protected int run(ElvesApiClient client) {
        ObjectNode done = Json.MAPPER.createObjectNode().put("app", app);
        List<String> lines = new ArrayList<>();
        if (version != null) {
            JsonNode r = call(client, ONLINE, Map.of("app", app, "version", version));
            String online = r.path("version").asText(version);
            done.put("version", online);
            lines.add(app + ": agents run version " + online);
        }
        if (agents != null) {
            JsonNode r = call(client, DEPLOY, Map.of("app", app, "agents", agents));
            JsonNode list = r.path("agents");
            done.set("agents", list.isArray() ? list : Json.MAPPER.createArrayNode().add(agents));
            List<String> ips = new ArrayList<>();
            done.get("agents").forEach(a -> ips.add(a.asText()));
            lines.add(app + ": deployed to " + (ips.isEmpty() ? "no agent" : String.join(", ", ips)));
        }
        if (json) {
            printJson(done);
        } else {
            lines.forEach(out()::println);
            out().flush();
        }
        return EXIT_OK;
    }
}

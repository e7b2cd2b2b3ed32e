package org.elves.cli.key;

import org.elves.cli.api.AdminArgs;
import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code elves key grant AUTH_ID --app APP --ip IPS}: the key may call APP on these agents. */
@Command(name = "grant", description = "Let a key call an app on agents (a,b,... or '*' for every agent); "
        + "prints the key's grants afterwards.")
public final class KeyGrant extends KeySubcommand {
    @Parameters(index = "0", paramLabel = "AUTH_ID", description = "The key's AuthID.")
    String authId;

    @Option(names = "--app", required = true, paramLabel = "APP", description = "App to grant.")
    String app;

    @Option(names = "--ip", required = true, paramLabel = "IPS|*", description = "Agents: a,b,... or '*'.")
    String ip;

    @Override
    protected void check() {
        authId = checkAuthId(authId);
        app = AdminArgs.checkApp(app);
        ip = AdminArgs.agents("--ip", ip);
    }

    @Override
    protected int run(ElvesApiClient client) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(KEY_ID, authId);
        params.put("app", app);
        params.put("agents", ip);
        JsonNode result = call(client, GRANT, params);
        if (json) {
            printJson(result);
        } else {
            out().println(authId + " grants: " + grants(result.path("grants")));
            out().flush();
        }
        return EXIT_OK;
    }
}

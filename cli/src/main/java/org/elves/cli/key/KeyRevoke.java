package org.elves.cli.key;

import org.elves.cli.api.AdminArgs;
import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code elves key revoke AUTH_ID [--app APP]}: takes one app's grant away, or deletes the key. */
@Command(name = "revoke", description = "With --app: the key may no longer call that app. Without: the key is "
        + "deleted and stops working at once.")
public final class KeyRevoke extends KeySubcommand {
    static final String PATH = "/api/v2/admin/key/revoke";

    @Parameters(index = "0", paramLabel = "AUTH_ID", description = "The key's AuthID.")
    String authId;

    @Option(names = "--app", paramLabel = "APP", description = "Only this app's grant (default: delete the key).")
    String app;

    @Override
    protected void check() {
        authId = checkAuthId(authId);
        if (app != null) {
            app = AdminArgs.checkApp(app);
        }
    }

    @Override
    protected int run(ElvesApiClient client) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(KEY_ID, authId);
        if (app != null) {
            params.put("app", app);
        }
        JsonNode result = call(client, PATH, params);
        if (json) {
            printJson(result);
        } else if (result.path("deleted").asBoolean(false)) {
            out().println("deleted key " + authId);
        } else {
            out().println(authId + " grants: " + grants(result.path("grants")));
        }
        out().flush();
        return EXIT_OK;
    }
}

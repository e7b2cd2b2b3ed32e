package org.elves.cli.app;

import org.elves.cli.api.AdminArgs;
import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

/** {@code elves app status --app APP}: per agent, the version wanted and installed. */
@Command(name = "status", description = "Show per agent of an app: the version it should run, the version "
        + "installed, the state (installed, downloading, failed), the last heartbeat and any error.")
public final class AppStatus extends AppSubcommand {
    static final String PATH = "/api/v2/admin/app/status";

    @Option(names = "--app", required = true, paramLabel = "APP", description = "App id.")
    String app;

    @Override
    protected void check() {
        app = AdminArgs.checkApp(app);
    }

    @Override
    protected int run(ElvesApiClient client) {
        JsonNode result = call(client, PATH, Map.of("app", app));
        if (json) {
            printJson(result);
        } else {
            AppText.status(app, result, columns()).forEach(out()::println);
            out().flush();
        }
        return EXIT_OK;
    }
}

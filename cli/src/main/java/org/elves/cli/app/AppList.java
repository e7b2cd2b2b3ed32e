package org.elves.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;

import java.util.Map;

/** {@code elves app list}: every app with its online version, uploads and agents. */
@Command(name = "list", description = "List the apps: id, name, processor, online version, uploaded versions and "
        + "agents. --json has each version's SHA-256, size and upload time, and the apps' times.")
public final class AppList extends AppSubcommand {
    static final String PATH = "/api/v2/admin/app/list";

    @Override
    protected void check() {
        // no arguments
    }

    @Override
    protected int run(ElvesApiClient client) {
        JsonNode result = call(client, PATH, Map.of());
        if (json) {
            printJson(result);
        } else {
            AppText.apps(result, columns()).forEach(out()::println);
            out().flush();
        }
        return EXIT_OK;
    }
}

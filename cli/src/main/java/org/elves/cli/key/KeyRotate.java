package org.elves.cli.key;

import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code elves key rotate AUTH_ID [--json]}: a new secret; the old one stops working. */
@Command(name = "rotate", description = "Give a key a new secret and print it (shown only now); the old secret "
        + "stops working at once. --json prints {\"auth_id\": \"...\", \"key\": \"...\"}.")
public final class KeyRotate extends KeySubcommand {
    static final String PATH = "/api/v2/admin/key/rotate";

    @Parameters(index = "0", paramLabel = "AUTH_ID", description = "The key's AuthID.")
    String authId;

    @Override
    protected void check() {
        authId = checkAuthId(authId);
    }

    @Override
    protected int run(ElvesApiClient client) {
        String[] rotated = secret(call(client, PATH, Map.of(KEY_ID, authId)));
        printSecret(rotated[0], rotated[1]);
        return EXIT_OK;
    }
}

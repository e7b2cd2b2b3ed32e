package org.elves.cli.key;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.TextLines;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;

import java.util.Map;

/** {@code elves key list}: every key with its grants; never a secret. */
@Command(name = "list", description = "List the keys: AuthID, name, admin, strong-only, when the secret last "
        + "changed (rotated, else created) and grants (app: agents). --json has both times. Secrets are never shown.")
public final class KeyList extends KeySubcommand {
    static final String PATH = "/api/v2/admin/key/list";
    private static final String ROW = "%-16s  %-16s  %-5s  %-6s  %-19s  %s";

    @Override
    protected void check() {
        // no arguments
    }

    @Override
    protected int run(ElvesApiClient client) {
        JsonNode result = call(client, PATH, Map.of());
        if (json) {
            printJson(result);
            return EXIT_OK;
        }
        if (!result.isArray() || result.isEmpty()) {
            out().println("no keys");
        } else {
            int columns = columns();
            out().println(TextLines.fit(String.format(ROW, "AUTH_ID", "NAME", "ADMIN", "STRONG", "CHANGED", "GRANTS"), columns));
            for (JsonNode k : result) {
                out().println(TextLines.fit(String.format(ROW, dash(text(k, "auth_id")), dash(text(k, "name")),
                        yesNo(text(k, "admin")), yesNo(text(k, "strong_only")), changed(k), grants(k.path("grants"))), columns));
            }
            out().println(result.size() + (result.size() == 1 ? " key" : " keys"));
        }
        out().flush();
        return EXIT_OK;
    }

    /** When the secret last changed: rotated, else created. */
    private static String changed(JsonNode key) {
        String rotated = text(key, "rotate_time");
        return TextLines.orDash(rotated.isEmpty() ? text(key, "create_time") : rotated);
    }

    private static String yesNo(String flag) {
        return switch (flag) {
            case "true", "1" -> "yes";
            case "false", "0", "" -> "no";
            default -> flag;
        };
    }

    private static String dash(String value) {
        return TextLines.orDash(value);
    }
}

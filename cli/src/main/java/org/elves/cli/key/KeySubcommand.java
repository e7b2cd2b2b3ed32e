package org.elves.cli.key;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.CliEnvironment;
import org.elves.cli.api.ApiSubcommand;
import org.elves.protocol.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What every {@code elves key} action shares: the API options, {@code --json}, checking the
 * arguments before any request, signed calls and the exit codes of {@link ApiSubcommand}.
 */
@Command(mixinStandardHelpOptions = true,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "2:usage or configuration error, or the API refused the call (e.g. not an admin key)",
                "3:no answer from the API",
                "4:internal error"})
abstract class KeySubcommand extends ApiSubcommand {
    static final String GRANT = "/api/v2/admin/key/grant";
    /**
     * The parameter naming the key an action is about. The admin contract says {@code auth_id},
     * but that name is the caller's own signing parameter (the client adds it and refuses it from
     * callers; a server would see it twice, 403.10): the key acted on goes as {@code key_id}.
     */
    static final String KEY_ID = "key_id";

    @ParentCommand
    KeyCommand parent;

    @Override
    protected CliEnvironment env() {
        return parent.env();
    }


    static String checkAuthId(String authId) {
        String a = authId == null ? "" : authId.trim();
        if (a.isEmpty() || a.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("AUTH_ID '" + authId + "' is not an AuthID");
        }
        return a;
    }



    /** {"auth_id": "...", "key": "..."} on one line: the shape scripts read. */
    static String secretJson(String authId, String key) {
        try {
            return "{\"auth_id\": " + Json.MAPPER.writeValueAsString(authId) + ", \"key\": "
                    + Json.MAPPER.writeValueAsString(key) + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings always serialise", e);
        }
    }

    /** A grants object {"app":["ip",...]} as "app: ip,ip; app2: *"; "-" for none. */
    static String grants(JsonNode grants) {
        List<String> parts = new ArrayList<>();
        if (grants.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = grants.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> ips = new ArrayList<>();
                if (e.getValue().isArray()) {
                    e.getValue().forEach(ip -> ips.add(ip.asText()));
                } else {
                    ips.add(e.getValue().asText());
                }
                parts.add(e.getKey() + ": " + (ips.isEmpty() ? "-" : String.join(",", ips)));
            }
        }
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
    }

    /** A created or rotated secret from the API's answer; refuses an answer without one. */
    static String[] secret(JsonNode result) {
        String authId = text(result, "auth_id");
        String key = text(result, "key");
        if (authId.isEmpty() || key.isEmpty()) {
            throw new ApiFailure(EXIT_API_ERROR, "the API accepted the call but its answer has no auth_id and key");
        }
        return new String[] {authId, key};
    }

    /** Prints a secret: as JSON for scripts, else labelled with a reminder that it is shown once. */
    void printSecret(String authId, String key) {
        if (json) {
            out().println(secretJson(authId, key));
        } else {
            out().println("auth_id  " + authId);
            out().println("key      " + key);
        }
        out().flush();
    }
}

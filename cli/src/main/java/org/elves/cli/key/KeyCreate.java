package org.elves.cli.key;

import org.elves.cli.api.AdminArgs;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code elves key create [--name N] [--app APP --ip IPS] [--strong] [--admin] [--json]}: a new
 * key, granted APP on IPS when --app is given; prints the AuthID and the secret (once).
 */
@Command(name = "create", description = {
        "Create an OpenAPI key and print its AuthID and secret (shown only now: keep it). With --app, the key "
                + "may call that app on the agents --ip (a,b,... or '*'); more grants with 'elves key grant'.",
        "--json prints exactly {\"auth_id\": \"...\", \"key\": \"...\"}."})
public final class KeyCreate extends KeySubcommand {
    static final String PATH = "/api/v2/admin/key/create";

    @Option(names = "--name", paramLabel = "NAME", description = "What the key is for (default: the app, else 'key').")
    String name;

    @Option(names = "--app", paramLabel = "APP", description = "Grant this app (needs --ip).")
    String app;

    @Option(names = "--ip", paramLabel = "IPS|*", description = "Agents the app may be called on: a,b,... or '*'.")
    String ip;

    @Option(names = "--strong", description = "The key may sign only with the strong scheme (HMAC-SHA256), not MD5.")
    boolean strong;

    @Option(names = "--admin", description = "An admin key: may call the admin API and every app.")
    boolean admin;

    @Override
    protected void check() {
        if (app != null) {
            app = AdminArgs.checkApp(app);
            if (ip == null) {
                throw new IllegalArgumentException("--app needs --ip: the agents (a,b,... or '*') the key may call it on");
            }
        }
        if (ip != null) {
            if (app == null) {
                throw new IllegalArgumentException("--ip needs --app: the app the key may call on these agents");
            }
            ip = AdminArgs.agents("--ip", ip);
        }
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("--name must not be blank");
        }
        name = name != null ? name.trim() : app != null ? app : "key";
    }

    Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("name", name);
        params.put("strong_only", Boolean.toString(strong));
        params.put("admin", Boolean.toString(admin));
        return params;
    }

    @Override
    protected int run(ElvesApiClient client) {
        String[] created = secret(call(client, PATH, params()));
        ApiResponse granted = app == null ? null
                : client.call(GRANT, Map.of(KEY_ID, created[0], "app", app, "agents", ip), CALL_TIMEOUT);
        // the secret is printed even when the grant failed: the key exists now and its secret is shown only once
        printSecret(created[0], created[1]);
        if (granted != null && !granted.ok()) {
            throw new ApiFailure(granted.answered() ? EXIT_API_ERROR : EXIT_NO_ANSWER, "key " + created[0]
                    + " was created but not granted " + app + ": "
                    + (granted.answered() ? granted.error() : "no answer: " + granted.noAnswerReason())
                    + "; try 'elves key grant " + created[0] + " --app " + app + " --ip " + ip + "'");
        }
        if (!json && granted != null) {
            out().println("grants   " + grants(granted.result().path("grants")));
            out().flush();
        }
        return EXIT_OK;
    }
}

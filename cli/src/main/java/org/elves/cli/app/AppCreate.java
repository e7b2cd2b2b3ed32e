package org.elves.cli.app;

import org.elves.cli.api.AdminArgs;
import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code elves app create --app APP --name NAME [--processor host:port]}. */
@Command(name = "create", description = "Create an app: its id (lower-case letters, digits and '-'), a readable "
        + "name and optionally the processor (host:port) that receives results sent with mode P.")
public final class AppCreate extends AppSubcommand {
    static final String PATH = "/api/v2/admin/app/create";
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");

    @Option(names = "--app", required = true, paramLabel = "APP", description = "App id, as calls name it.")
    String app;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Readable name.")
    String name;

    @Option(names = "--processor", paramLabel = "HOST:PORT", description = "Processor that receives mode-P results.")
    String processor;

    @Override
    protected void check() {
        app = AdminArgs.checkApp(app);
        if (name.isBlank()) {
            throw new IllegalArgumentException("--name must not be blank");
        }
        if (processor != null) {
            processor = processor.trim();
            int port = processor.lastIndexOf(':');
            if (!HOST_PORT.matcher(processor).matches()
                    || Integer.parseInt(processor.substring(port + 1)) < 1
                    || Integer.parseInt(processor.substring(port + 1)) > 65535) {
                throw new IllegalArgumentException("--processor '" + processor + "' is not host:port");
            }
        }
    }

    Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app", app);
        params.put("name", name.trim());
        if (processor != null && !processor.isEmpty()) {
            params.put("processor", processor);
        }
        return params;
    }

    @Override
    protected int run(ElvesApiClient client) {
        JsonNode result = call(client, PATH, params());
        if (json) {
            printJson(result);
        } else {
            out().println("created app " + app);
            out().flush();
        }
        return EXIT_OK;
    }
}

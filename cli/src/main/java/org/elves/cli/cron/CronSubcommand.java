package org.elves.cli.cron;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ApiOptions;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import org.elves.protocol.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What every {@code elves cron} action shares, as the queue actions do: the API options,
 * {@code --json}, checking the arguments before any request, one signed call, and the exit
 * codes: 0 ok, 2 usage error or the API refused ({@code [code]Value} on stderr), 3 no answer,
 * 4 internal error.
 */
@Command(mixinStandardHelpOptions = true,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "2:usage or configuration error (e.g. a rule that is not Quartz syntax), or the API refused the call",
                "3:no answer from the API",
                "4:internal error"})
abstract class CronSubcommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_API_ERROR = 2;
    static final int EXIT_NO_ANSWER = 3;
    /** Cron calls are bookkeeping on the center, answered at once; no worker is waited for. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @ParentCommand
    CronCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions apiOptions = new ApiOptions();

    @Option(names = "--json", description = "Print the API's answer as JSON for scripts instead of text.")
    boolean json;

    /** The API was asked and did not do it: its error text or why there was no answer. */
    static final class ApiFailure extends RuntimeException {
        final int exitCode;

        ApiFailure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    @Override
    public final Integer call() {
        try {
            check();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ElvesApiClient client = new ElvesApiClient(ApiTarget.resolve(apiOptions, parent.env()));
        try {
            return run(client);
        } catch (ApiFailure f) {
            out().flush();
            err().println(f.getMessage());
            err().flush();
            return f.exitCode;
        }
    }

    /** Refuses wrong arguments with IllegalArgumentException, before any request is made. */
    abstract void check();

    /** Does the work; API refusals and silence come as {@link ApiFailure}. */
    abstract int run(ElvesApiClient client);

    /** One call; the envelope's result (a missing node for none) when the API accepted it. */
    static JsonNode call(ElvesApiClient client, String path, Map<String, String> params) {
        ApiResponse response = client.call(path, params, CALL_TIMEOUT);
        if (!response.answered()) {
            throw new ApiFailure(EXIT_NO_ANSWER, "no answer: " + response.noAnswerReason());
        }
        if (!response.ok()) {
            throw new ApiFailure(EXIT_API_ERROR, response.error());
        }
        return response.result();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    int columns() {
        return parent.env().columns(120);
    }

    void printJson(JsonNode doc) {
        try {
            out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
        out().flush();
    }

    /** Cron ids are 16 characters (the API answers 403.9 otherwise); catch the typo here. */
    static void checkId(String id) {
        if (id == null || id.length() != 16) {
            throw new IllegalArgumentException("CRON_ID '" + id + "' is not a cron id (16 characters, "
                    + "as printed by 'elves cron add' and 'elves cron list')");
        }
    }
}

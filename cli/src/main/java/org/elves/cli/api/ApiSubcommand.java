package org.elves.cli.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.CliEnvironment;
import org.elves.protocol.Json;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What every bookkeeping action over the API shares ({@code elves queue ...}, {@code elves cron
 * ...}): the API options, {@code --json}, checking the arguments before any request, signed calls,
 * and the exit codes: 0 ok, 1 (where an action says so) not every task succeeded, 2 usage error or
 * the API refused ({@code [code]Value} on stderr), 3 no answer, 4 internal error.
 */
public abstract class ApiSubcommand implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_API_ERROR = 2;
    public static final int EXIT_NO_ANSWER = 3;
    /** These calls are bookkeeping on the center, answered at once; no worker is waited for. */
    protected static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    protected CommandSpec spec;

    @Mixin
    protected ApiOptions apiOptions = new ApiOptions();

    @Option(names = "--json", description = "Print the API's answer as JSON for scripts instead of text.")
    protected boolean json;

    /** The API was asked and did not do it: its error text or why there was no answer. */
    public static final class ApiFailure extends RuntimeException {
        final int exitCode;

        public ApiFailure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    @Override
    public final Integer call() throws InterruptedException {
        try {
            check();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ElvesApiClient client = new ElvesApiClient(ApiTarget.resolve(apiOptions, env()));
        try {
            return run(client);
        } catch (ApiFailure f) {
            out().flush();
            err().println(f.getMessage());
            err().flush();
            return f.exitCode;
        }
    }

    /** The environment (ELVES_* variables, terminal), from the parent command. */
    protected abstract CliEnvironment env();

    /** Refuses wrong arguments with IllegalArgumentException, before any request is made. */
    protected abstract void check();

    /** Does the work; API refusals and silence come as {@link ApiFailure}. */
    protected abstract int run(ElvesApiClient client) throws InterruptedException;

    /** One call; the envelope's result (a missing node for none) when the API accepted it. */
    protected static JsonNode call(ElvesApiClient client, String path, Map<String, String> params) {
        ApiResponse response = client.call(path, params, CALL_TIMEOUT);
        if (!response.answered()) {
            throw new ApiFailure(EXIT_NO_ANSWER, "no answer: " + response.noAnswerReason());
        }
        if (!response.ok()) {
            throw new ApiFailure(EXIT_API_ERROR, response.error());
        }
        return response.result();
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Whether --json was given: the answer as JSON for scripts. */
    public boolean jsonOutput() {
        return json;
    }

    /** The terminal's width for tables (120 when unknown). */
    protected int columns() {
        return env().columns(120);
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    public void printJson(JsonNode doc) {
        try {
            out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
        out().flush();
    }
}

package org.elves.cli.exec;

import org.elves.cli.CliEnvironment;
import org.elves.cli.api.ApiOptions;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code elves exec}: a realtime task (reference §3.4.4) on one or many agents. */
@Command(name = "exec",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Run an app's function on agents now and show what the worker answered.",
                "With several addresses the calls run in parallel, one line per host, then a summary."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every host ok (worker_flag 1)",
                "1:a worker reported failure; with several hosts: not all ok",
                "2:usage or configuration error, or (one host) the API refused the call",
                "3:no answer from the API (for every host)",
                "4:internal error"})
public final class ExecCommand implements Callable<Integer> {
    static final String PATH = "/api/v2/rt/exec";
    /**
     * Past the worker's timeout the center still needs time to answer: it waits timeout + 5 s
     * for the scheduler before it answers with an error, and that error is worth waiting for.
     */
    static final int WAIT_MARGIN_SECONDS = 10;

    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions apiOptions = new ApiOptions();

    @Option(names = "--ip", required = true, paramLabel = "IPS",
            description = "Agent addresses: dotted IPv4, separated by commas or spaces; @FILE reads one "
                    + "per line (# comments allowed). Repeatable; duplicates run once.")
    List<String> ips;

    @Option(names = "--app", required = true, paramLabel = "APP", description = "App instruct name.")
    String app;

    @Option(names = "--func", required = true, paramLabel = "FUNC", description = "Function of the app.")
    String func;

    @Option(names = "--param", paramLabel = "JSON", description = "Parameters for the function, as JSON.")
    String param;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "Worker time limit on the agent (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--proxy", paramLabel = "ENTRY", description = "Custom worker entry on the agent.")
    String proxy;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "64",
            description = "Calls in flight at once with several hosts (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "How long to wait for each answer before counting it as none "
                    + "(default: --timeout + " + WAIT_MARGIN_SECONDS + ").")
    Double waitSeconds;

    @Option(names = "--json", description = "Print one JSON document with every result instead of text.")
    boolean json;

    @Option(names = "--follow", description = "One agent only: print the worker's output as it runs "
            + "(the center's Watcher streams it), then the result.")
    boolean follow;

    /** With --follow: the id the task is started under, so its output can be asked for first. */
    private String taskId;

    public ExecCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        List<String> hosts = checkedArguments();
        ElvesApiClient client = new ElvesApiClient(ApiTarget.resolve(apiOptions, env));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<HostResult> results;
        ExecReport report;
        LiveOutput live = follow ? LiveOutput.start(client, out, err) : null;
        taskId = live == null ? null : live.taskId();
        try (Progress progress = progressFor(hosts)) {
            report = json ? new JsonReport(out)
                    : hosts.size() == 1 ? new SingleHostText(out, err)
                    : new FanOutText(out, progress, progress.columns(env.columns(120)));
            results = new FanOut(client, parallel).run(PATH, hosts, this::paramsFor, waitTime(), report::onResult);
        }
        if (live != null) {
            live.finish(results.get(0));
        }
        report.finish(results);
        return Summary.exitCode(results);
    }

    /** Everything checkable locally is checked before the first request leaves. */
    private List<String> checkedArguments() {
        try {
            if (app.isBlank() || func.isBlank()) {
                throw new IllegalArgumentException("--app and --func must not be blank");
            }
            if (param != null && !param.isBlank()) {
                JsonArgument.check("--param", param);
            }
            if (timeout < 1) {
                throw new IllegalArgumentException("--timeout must be at least 1 second");
            }
            if (parallel < 1) {
                throw new IllegalArgumentException("--parallel must be at least 1");
            }
            if (waitSeconds != null && !(waitSeconds > 0)) {
                throw new IllegalArgumentException("--wait must be more than 0 seconds");
            }
            List<String> hosts = HostList.parse(ips);
            if (follow && hosts.size() > 1) {
                throw new IllegalArgumentException("--follow shows the output of one task as it runs: give one agent, "
                        + "not " + hosts.size() + " (without --follow the calls run in parallel)");
            }
            if (follow && json) {
                throw new IllegalArgumentException("--follow prints the output as it comes; it does not go with --json");
            }
            return hosts;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private Map<String, String> paramsFor(String ip) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ip", ip);
        p.put("app", app);
        p.put("func", func);
        if (param != null && !param.isBlank()) {
            p.put("param", param);
        }
        p.put("timeout", Integer.toString(timeout));
        if (proxy != null && !proxy.isBlank()) {
            p.put("proxy", proxy);
        }
        if (taskId != null) {
            p.put("task_id", taskId);
        }
        return p;
    }

    private Duration waitTime() {
        return waitSeconds == null
                ? Duration.ofSeconds(timeout + (long) WAIT_MARGIN_SECONDS)
                : Duration.ofMillis(Math.round(waitSeconds * 1000));
    }

    /** A bar only for a person watching a fan-out; never in JSON mode or when piped. */
    private Progress progressFor(List<String> hosts) {
        return env.interactive() && !json && hosts.size() > 1
                ? new TerminalProgress("exec " + app + "." + func, hosts.size(), System.err)
                : Progress.NONE;
    }
}

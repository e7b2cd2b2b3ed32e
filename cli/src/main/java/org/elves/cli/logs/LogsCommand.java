package org.elves.cli.logs;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.CliEnvironment;
import org.elves.cli.api.ApiSubcommand;
import org.elves.cli.api.ElvesApiClient;
import org.elves.cli.exec.HostList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code elves logs}: what ran where, when, with what result and who asked, from the Watcher's
 * records (docs/api.md "Logs"). Without TASK_ID a page of tasks as a table; with it one task's
 * fields, timeline, states and output; with {@code --follow} that task's output as it runs.
 */
@Command(name = "logs",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "List the tasks Elves ran (newest first), show one task in full, or follow its output live.",
                "Typical use: elves logs --app apptest --since 2h --result failed; elves logs TASK_ID; "
                        + "elves logs TASK_ID --follow"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done; (--follow) the task succeeded (result_flag 1)",
                "1:(--follow) the task did not succeed",
                "2:usage or configuration error, or the API refused the call",
                "3:no answer from the API (--follow: nor after reconnecting)",
                "4:internal error"})
public final class LogsCommand extends ApiSubcommand {
    static final String TASK_PATH = "/api/v2/logs/task";
    static final String LIST_PATH = "/api/v2/logs/";

    private final CliEnvironment env;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TASK_ID",
            description = "One task: its record, timeline, states and output (a task id, or a cron run's id).")
    String taskId;

    @Option(names = "--follow", description = "With TASK_ID: print the task's output as it runs, until it ends; "
            + "exit 0 when it succeeded.")
    boolean follow;

    @Option(names = "--type", paramLabel = "TYPE",
            description = "Which tasks: rt (realtime, the default), queues, centercron or selfcron (agent crons).")
    String type;

    @Option(names = "--agent", paramLabel = "IP", description = "Only tasks on this agent.")
    String agent;

    @Option(names = "--app", paramLabel = "APP", description = "Only tasks of this app.")
    String app;

    @Option(names = "--func", paramLabel = "FUNC", description = "Only tasks of this function.")
    String func;

    @Option(names = "--by", paramLabel = "AUTH_ID", description = "Only tasks asked for by this key.")
    String by;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only tasks accepted at or after TIME: yyyy-MM-dd HH:mm:ss or yyyy-MM-dd (UTC), "
                    + "Unix milliseconds, or how long ago: 30s, 15m, 2h, 3d.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only tasks accepted at or before TIME (as --since).")
    String until;

    @Option(names = "--result", paramLabel = "RESULTS",
            description = "Only tasks that failed, succeeded and/or are running, comma-separated "
                    + "(default: all).")
    String result;

    @Option(names = "--asc", description = "Oldest first (default: newest first).")
    boolean asc;

    @Option(names = "--count", paramLabel = "N", description = "Tasks per page, 1 to 500 (the API's default: 50).")
    Integer count;

    @Option(names = "--page", paramLabel = "N", description = "Which page (default: 1).")
    Integer page;

    /** What the list asks for, made by check(). */
    private final Map<String, String> listParams = new LinkedHashMap<>();

    public LogsCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    protected CliEnvironment env() {
        return env;
    }

    @Override
    protected void check() {
        if (taskId == null) {
            if (follow) {
                throw new IllegalArgumentException("--follow needs the TASK_ID whose output to follow");
            }
            checkList(Instant.now());
            return;
        }
        taskId = LogArguments.taskId(taskId);
        if (type != null || agent != null || app != null || func != null || by != null || since != null
                || until != null || result != null || asc || count != null || page != null) {
            throw new IllegalArgumentException("--type, --agent, --app, --func, --by, --since, --until, --result, "
                    + "--asc, --count and --page choose tasks for the list; they do not go with TASK_ID");
        }
        if (follow && json) {
            throw new IllegalArgumentException("--follow prints the output as it comes; it does not go with --json");
        }
    }

    private void checkList(Instant now) {
        listParams.clear();
        if (agent != null) {
            List<String> hosts = HostList.parse(List.of(agent));
            if (hosts.size() != 1) {
                throw new IllegalArgumentException("--agent takes one address");
            }
            listParams.put("agent_ip", hosts.get(0));
        }
        putText("instruct", "--app", app);
        putText("func", "--func", func);
        putText("by_auth_id", "--by", by);
        Instant begin = since == null ? null : LogArguments.time("--since", since, now);
        Instant end = until == null ? null : LogArguments.time("--until", until, now);
        if (begin != null && end != null && begin.isAfter(end)) {
            throw new IllegalArgumentException("--since " + since + " is after --until " + until);
        }
        if (begin != null) {
            listParams.put("createtime_begin", LogArguments.apiTime(begin));
        }
        if (end != null) {
            listParams.put("createtime_end", LogArguments.apiTime(end));
        }
        if (asc) {
            listParams.put("createtime_sort", "asc");
        }
        if (result != null) {
            listParams.put("result_flag", LogArguments.resultFlags(result));
        }
        if (count != null) {
            if (count < 1 || count > 500) {
                throw new IllegalArgumentException("--count must be 1 to 500");
            }
            listParams.put("count", count.toString());
        }
        if (page != null) {
            if (page < 1) {
                throw new IllegalArgumentException("--page must be at least 1");
            }
            listParams.put("page", page.toString());
        }
        type = LogArguments.type(type == null ? "rt" : type);
    }

    private void putText(String param, String option, String value) {
        if (value != null) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(option + " must not be blank");
            }
            listParams.put(param, value.trim());
        }
    }

    @Override
    protected int run(ElvesApiClient client) throws InterruptedException {
        if (taskId == null) {
            JsonNode answer = call(client, LIST_PATH + type, listParams);
            show(answer, LogTable.lines(answer, LogArguments.TYPES.get(type), columns()));
            return EXIT_OK;
        }
        if (follow) {
            OutputFollower follower = new OutputFollower(client, taskId, out(), err());
            OutputFollower.End end = follower.follow();
            follower.note(end.line(taskId));
            return end.succeeded() ? EXIT_OK : EXIT_FAILED;
        }
        JsonNode log = call(client, TASK_PATH, Map.of("task_id", taskId));
        show(log, TaskLogText.lines(log, columns()));
        return EXIT_OK;
    }

    private void show(JsonNode answer, List<String> text) {
        if (json) {
            printJson(answer);
        } else {
            text.forEach(out()::println);
            out().flush();
        }
    }
}

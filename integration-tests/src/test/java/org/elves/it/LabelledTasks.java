package org.elves.it;

import org.elves.cli.api.ApiResponse;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queue tasks a test tells apart by a label: each carries {@code {"t":label}} as its param, its
 * worker fails the labels that start with "fail-", and {@link RunLog} tells how often each ran.
 */
final class LabelledTasks {
    private LabelledTasks() {
    }

    /** The worker: records its run, fails "fail-" labels, else sleeps {@code sleep} seconds and succeeds. */
    static void writeWorker(Path appDir, RunLog runs, String sleep) throws Exception {
        ShellApps.write(appDir, runs.recordRun()
                + "case \"$(echo \"$3\" | base64 -d)\" in\n"
                + "  *fail-*) echo '<ElvesWFlag>false</ElvesWFlag><ElvesWResult>failed</ElvesWResult>' ;;\n"
                + "  *) sleep " + sleep + "; echo '<ElvesWFlag>true</ElvesWFlag><ElvesWResult>ok</ElvesWResult>' ;;\n"
                + "esac\n");
    }

    /** Adds a task (depending on {@code parent} unless empty); its id, also put into {@code labelOf}. */
    static String add(Api api, String queue, String ip, String label, String parent, Map<String, String> labelOf) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("queue_id", queue);
        params.put("ip", ip);
        params.put("func", "work");
        params.put("param", "{\"t\":\"" + label + "\"}");
        params.put("timeout", "30");
        if (!parent.isEmpty()) {
            params.put("depend_task_id", parent);
        }
        ApiResponse r = api.call("/api/v2/queue/addtask", params);
        assertTrue(r.ok(), r.error());
        String id = r.resultText("id");
        labelOf.put(id, label);
        return id;
    }

    /** How often each label ran. */
    static Map<String, Integer> ranTimes(RunLog runs) throws Exception {
        Map<String, Integer> times = new HashMap<>();
        runs.timesByParam().forEach((param, n) -> times.merge(param.replaceAll("^\\{\"t\":\"(.*)\"}$", "$1"), n, Integer::sum));
        return times;
    }
}

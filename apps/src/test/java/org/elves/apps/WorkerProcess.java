package org.elves.apps;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs an installed app's entry the way the agent does (argument vector, no shell) and reads its tags. */
final class WorkerProcess {
    private static final Pattern TAGS = Pattern.compile(
            "<ElvesWFlag>(.*)</ElvesWFlag> <ElvesWResult>(.*)</ElvesWResult>", Pattern.DOTALL);

    record Output(String flag, String result, int exitCode, String stdout) {
    }

    private WorkerProcess() {
    }

    static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(UTF_8));
    }

    /** {@code entry... args...}, e.g. python3 /apps/apptest/app-worker.py apptest helloword b64. */
    static Output run(List<String> entry, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(entry);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "worker did not end: " + cmd);
        Matcher m = TAGS.matcher(out);
        assertTrue(m.find(), "no tags in output of " + cmd + ": " + out);
        return new Output(m.group(1), m.group(2), p.exitValue(), out);
    }

    static List<String> python(Path appDir) {
        return List.of("python3", appDir.resolve("app-worker.py").toString());
    }

    static List<String> shell(Path appDir) {
        return List.of("/bin/sh", appDir.resolve("app-worker.sh").toString());
    }
}

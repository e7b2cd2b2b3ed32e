package org.elves.agent.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Builds the argument vector of a worker call (reference §8.5.2-8.5.4); never a shell string. */
final class EntryResolver {
    /** Linux refuses a single argument longer than MAX_ARG_STRLEN (32 pages). */
    static final int MAX_ARGUMENT_BYTES = 131_071;

    private final InstalledApps apps;
    private final List<String> python;

    /** @param python interpreter command, split on blanks: "python3", "/usr/bin/python3 -S" */
    EntryResolver(InstalledApps apps, String python) {
        this.apps = apps;
        this.python = List.of(python.trim().split("\\s+"));
    }

    /**
     * {@code [entry..., app, func, base64(param)]}.
     *
     * @throws WorkerRejected with the Reinstruct text when the app is missing or the entry unsafe
     */
    List<String> command(WorkerCall call) throws WorkerRejected {
        Path dir = apps.directoryOf(call.app());
        if (dir == null) {
            throw notInstalled(call.app());
        }
        List<String> cmd = new ArrayList<>(6);
        String proxy = call.proxy() == null ? "" : call.proxy().trim();
        if (!proxy.isEmpty()) {
            proxyEntry(dir, call.app(), proxy, cmd);
        } else {
            defaultEntry(dir, call.app(), cmd);
        }
        String param = call.param() == null ? "" : call.param();
        String encoded = Base64.getEncoder().encodeToString(param.getBytes(UTF_8));
        if (encoded.length() > MAX_ARGUMENT_BYTES) {
            throw new WorkerRejected("app exec error : param too large: " + encoded.length()
                    + " bytes of base64, the limit of one process argument is " + MAX_ARGUMENT_BYTES);
        }
        cmd.add(call.app());
        cmd.add(call.func() == null ? "" : call.func());
        cmd.add(encoded);
        return cmd;
    }

    private void defaultEntry(Path dir, String app, List<String> cmd) throws WorkerRejected {
        Path py = dir.resolve(InstalledApps.PYTHON_ENTRY);
        if (Files.isRegularFile(py)) {
            cmd.addAll(python);
            cmd.add(py.toString());
            return;
        }
        Path sh = dir.resolve(InstalledApps.SHELL_ENTRY);
        if (Files.isRegularFile(sh)) {
            cmd.add("/bin/sh");
            cmd.add(sh.toString());
            return;
        }
        Path bin = dir.resolve(InstalledApps.BINARY_ENTRY);
        if (Files.isRegularFile(bin) && Files.isExecutable(bin)) {
            cmd.add(bin.toString());
            return;
        }
        throw notInstalled(app);
    }

    private static void proxyEntry(Path dir, String app, String proxy, List<String> cmd) throws WorkerRejected {
        int bar = proxy.indexOf('|');
        String interpreter = bar < 0 ? null : proxy.substring(0, bar).trim();
        String file = bar < 0 ? proxy : proxy.substring(bar + 1).trim();
        if (interpreter != null && interpreter.isEmpty()) {
            throw new WorkerRejected("app exec error : proxy [" + proxy + "] names no interpreter before '|'");
        }
        if (!isPlainFileName(file)) {
            throw new WorkerRejected("app exec error : proxy file [" + file
                    + "] must be a file name inside the app directory (no '/', no '..')");
        }
        Path entry = dir.resolve(file);
        if (!Files.isRegularFile(entry)) {
            throw new WorkerRejected("app exec error : proxy file [" + file + "] not found in app [" + app + "]");
        }
        if (interpreter != null) {
            cmd.add(interpreter);
        }
        cmd.add(entry.toString());
    }

    private static boolean isPlainFileName(String file) {
        return !file.isEmpty() && !file.equals(".") && !file.equals("..")
                && file.indexOf('/') < 0 && file.indexOf('\\') < 0 && file.indexOf('\0') < 0;
    }

    static WorkerRejected notInstalled(String app) {
        return new WorkerRejected("app [" + app + "] not install !");
    }
}

package org.elves.apps;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.elves.apps.WorkerProcess.b64;
import static org.elves.apps.WorkerProcess.run;
import static org.elves.apps.WorkerProcess.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shell example and its SDK helper, run by the real /bin/sh as the agent runs them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShellWorkerTest {
    @TempDir
    Path apps;

    private Path shelltest;

    @BeforeEach
    void install() throws Exception {
        shelltest = AppInstaller.installExample("shelltest", apps);
    }

    @Test
    void echoReturnsTheDecodedParam() throws Exception {
        String json = "{\"my\": \"héllo ✓\", \"n\": [1, 2]}";
        WorkerProcess.Output out = run(shell(shelltest), "shelltest", "echo", b64(json));
        assertEquals("true", out.flag());
        assertEquals(json, out.result());
    }

    @Test
    void noopIsTrueAndEmpty() throws Exception {
        WorkerProcess.Output out = run(shell(shelltest), "shelltest", "noop", "");
        assertEquals("true", out.flag());
        assertEquals("", out.result());
        assertEquals(0, out.exitCode());
    }

    @Test
    void echoWithoutParamIsEmpty() throws Exception {
        assertEquals(new WorkerProcess.Output("true", "", 0, "<ElvesWFlag>true</ElvesWFlag> <ElvesWResult></ElvesWResult>\n"),
                run(shell(shelltest), "shelltest", "echo", ""));
    }

    @Test
    void badParamAndUnknownFuncAreFalse() throws Exception {
        WorkerProcess.Output bad = run(shell(shelltest), "shelltest", "echo", "***");
        assertEquals("false", bad.flag());
        assertEquals("param is not base64", bad.result());
        WorkerProcess.Output unknown = run(shell(shelltest), "shelltest", "dance", "");
        assertEquals("false", unknown.flag());
        assertEquals("unknown func [dance] of app [shelltest]; known: echo, noop", unknown.result());
    }

    @Test
    void runsFromItsOwnDirectoryWithARelativePathToo() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "app-worker.sh", "shelltest", "noop", "").directory(shelltest.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        assertEquals("<ElvesWFlag>true</ElvesWFlag> <ElvesWResult></ElvesWResult>\n", out);
    }
}

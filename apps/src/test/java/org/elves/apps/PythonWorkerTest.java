package org.elves.apps;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.elves.apps.WorkerProcess.b64;
import static org.elves.apps.WorkerProcess.python;
import static org.elves.apps.WorkerProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Python SDK entry, run by a real python3 as the agent runs it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PythonWorkerTest {
    @TempDir
    Path apps;

    private Path apptest;

    @BeforeEach
    void install() throws Exception {
        apptest = AppInstaller.installExample("apptest", apps);
    }

    @Test
    void hellowordReturnsMy() throws Exception {
        WorkerProcess.Output out = run(python(apptest), "apptest", "helloword", b64("{\"my\":\"toryzen\"}"));
        assertEquals("true", out.flag());
        assertEquals("toryzen", out.result());
        assertEquals(0, out.exitCode());
    }

    @Test
    void textIsUtf8BothWays() throws Exception {
        WorkerProcess.Output out = run(python(apptest), "apptest", "helloword", b64("{\"my\":\"héllo 中文 ✓\\nzwei\"}"));
        assertEquals("héllo 中文 ✓\nzwei", out.result());
    }

    @Test
    void missingKeyIsFalseWithAClearMessage() throws Exception {
        WorkerProcess.Output out = run(python(apptest), "apptest", "helloword", b64("{\"other\":1}"));
        assertEquals("false", out.flag());
        assertTrue(out.result().startsWith("helloword needs a param like {\"my\": \"toryzen\"}"), out.result());
    }

    @Test
    void noParamOrAnEmptyOneIsAnEmptyObject() throws Exception {
        assertTrue(run(python(apptest), "apptest", "helloword").result().endsWith("got {}"));
        assertTrue(run(python(apptest), "apptest", "helloword", "").result().endsWith("got {}"));
    }

    @Test
    void unknownAndPrivateFuncsAreFalse() throws Exception {
        WorkerProcess.Output out = run(python(apptest), "apptest", "nosuch", b64("{}"));
        assertEquals("false", out.flag());
        assertEquals("unknown func [nosuch] of app [apptest]", out.result());
        assertEquals("unknown func [__init__] of app [apptest]", run(python(apptest), "apptest", "__init__", "").result());
    }

    @Test
    void badBase64AndBadJsonAreFalse() throws Exception {
        WorkerProcess.Output notB64 = run(python(apptest), "apptest", "helloword", "%%%not-base64");
        assertEquals("false", notB64.flag());
        assertTrue(notB64.result().startsWith("param error: not base64 of UTF-8 JSON text"), notB64.result());
        WorkerProcess.Output notJson = run(python(apptest), "apptest", "helloword", b64("{my: 1"));
        assertEquals("false", notJson.flag());
        assertTrue(notJson.result().startsWith("param error"), notJson.result());
    }

    @Test
    void wrongArgumentCountIsFalse() throws Exception {
        WorkerProcess.Output out = run(python(apptest), "apptest");
        assertEquals("false", out.flag());
        assertTrue(out.result().startsWith("param error: usage: app-worker.py"), out.result());
        assertEquals("false", run(python(apptest), "apptest", "helloword", "e30=", "extra").flag());
    }

    @Test
    void anExceptionInTheAppIsFalseWithItsTraceback() throws Exception {
        Path boom = Files.createDirectories(apps.resolve("boom"));
        Files.writeString(boom.resolve("boom.py"), """
                class boom(object):
                    def explode(self, param):
                        raise RuntimeError("kaboom " + str(param["n"]))
                    def shape(self, param):
                        return "not a tuple"
                    def typed(self, param):
                        return True, {"n": param["n"], "s": "ü"}
                """);
        AppInstaller.installSdkEntry(boom, AppInstaller.Sdk.PYTHON);
        WorkerProcess.Output out = run(python(boom), "boom", "explode", b64("{\"n\":7}"));
        assertEquals("false", out.flag());
        assertTrue(out.result().startsWith("Traceback (most recent call last):"), out.result());
        assertTrue(out.result().contains("RuntimeError: kaboom 7"), out.result());
        assertTrue(run(python(boom), "boom", "shape", "").result().startsWith("func [shape] must return (flag, result)"));
        WorkerProcess.Output typed = run(python(boom), "boom", "typed", b64("{\"n\":[1,2]}"));
        assertEquals("true", typed.flag());
        assertEquals("{\"n\": [1, 2], \"s\": \"ü\"}", typed.result(), "dicts come back as JSON");
    }

    @Test
    void theFastJsonReaderAgreesWithJsonLoads() throws Exception {
        String script = String.join("\n",
                "import importlib.util, json, sys",
                "spec = importlib.util.spec_from_file_location('w', sys.argv[1])",
                "w = importlib.util.module_from_spec(spec); spec.loader.exec_module(w)",
                "cases = ['{\"a\": [1, 2.5e3, -0, true, false, null], \"b\": {\"c\": \"\\\\u00fc\"}}', ' [] ', '1',",
                "         '{\"a\":1}{\"b\":2}', '{a:1}', '', '   ', 'NaN', '[Infinity]', '{\"a\":1,}', '[1 2]', '1e999',",
                "         '{\"a\": 1, \"a\": 2}', '\"tab\\there\"']",
                "def run(f, c):",
                "    try: return repr(f(c))",
                "    except Exception as e: return type(e).__name__",
                "bad = [c for c in cases if run(w.loads_json, c) != run(json.loads, c)]",
                "print('differ: %r' % bad if bad else 'same %d' % len(cases))");
        Process p = new ProcessBuilder("python3", "-c", script, apptest.resolve("app-worker.py").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals("same 14", out);
    }

    @Test
    void anAppWhoseModuleDoesNotLoadIsFalse() throws Exception {
        Path broken = Files.createDirectories(apps.resolve("broken"));
        Files.writeString(broken.resolve("broken.py"), "def broken(:\n");
        AppInstaller.installSdkEntry(broken, AppInstaller.Sdk.PYTHON);
        WorkerProcess.Output out = run(python(broken), "broken", "f", "");
        assertEquals("false", out.flag());
        assertTrue(out.result().contains("SyntaxError"), out.result());
        Path noclass = Files.createDirectories(apps.resolve("noclass"));
        Files.writeString(noclass.resolve("noclass.py"), "x = 1\n");
        AppInstaller.installSdkEntry(noclass, AppInstaller.Sdk.PYTHON);
        assertEquals("noclass.py has no class named [noclass]", run(python(noclass), "noclass", "f", "").result());
    }
}

package org.elves.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.elves.protocol.thrift.AppService;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python processor SDK (sdk/python/processor/app-processor.py) as a real process, called over
 * Thrift from Java as the Scheduler calls it; with the example processor of apptest.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PythonProcessorTest {
    /** Debian's interpreter, where python3-thrift installs (a pyenv python3 first on PATH lacks it). */
    static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    private static final Path ENTRY = Path.of("sdk/python/processor/app-processor.py").toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");

    @TempDir
    Path dir;

    private Process process;

    @BeforeAll
    static void needsPythonThrift() throws Exception {
        Process check = new ProcessBuilder(PYTHON, "-c", "import thrift").redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        Assumptions.assumeTrue(check.waitFor() == 0,
                "SKIPPED: python3-thrift is not installed for " + PYTHON + " (apt-get install python3-thrift; "
                        + "scripts/setup-debian.sh and CI install it)");
    }

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Starts app-processor.py on a free port; its port. */
    private int start(String module, String... moduleArgs) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(PYTHON, ENTRY.toString(), "--app", "apptest",
                "--host", "127.0.0.1", "--port", "0", "--module", module));
        if (moduleArgs.length > 0) {
            command.add("--");
            command.addAll(List.of(moduleArgs));
        }
        process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("processor.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) {
            process.waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("processor did not start: " + Files.readString(dir.resolve("processor.log")));
        }
        Matcher m = LISTENING.matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(2));
    }

    private static String runProcessor(int port, Reinstruct reins) throws Exception {
        TSocket socket = new TSocket(new TConfiguration(), "127.0.0.1", port, 5000, 5000);
        socket.open();
        try {
            return new AppService.Client(new TBinaryProtocol(socket)).runProcessor(reins);
        } finally {
            socket.close();
        }
    }

    private static List<String> awaitLines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= count) {
                    return lines;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(file + " did not get " + count + " line(s)");
    }

    @Test
    void theExampleProcessorGetsAgentIpFlagCosttimeAndMessage() throws Exception {
        Path out = dir.resolve("deliveries.jsonl");
        int port = start(Path.of("examples/apptest/processor.py").toAbsolutePath().toString(), "--out", out.toString());
        Instruct ins = new Instruct("0123456789ABCDEF", "127.0.0.71", "queue", "P", "apptest", "helloword",
                "{\"my\":\"héllo\"}", 30, "");
        assertEquals("success", runProcessor(port, new Reinstruct(ins, 1, 42, "héllo 中文")));
        assertEquals("success", runProcessor(port, new Reinstruct(ins.deepCopy().setId("FEDCBA9876543210"), -1, 7, "app exec timeout")));

        List<String> lines = awaitLines(out, 2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0).startsWith("{\"id\": \"0123") ? lines.get(0) : lines.get(1));
        assertEquals("0123456789ABCDEF", first.get("id").asText());
        assertEquals("127.0.0.71", first.get("agent_ip").asText());
        assertEquals("queue", first.get("type").asText());
        assertEquals("P", first.get("mode").asText());
        assertEquals("apptest", first.get("app").asText());
        assertEquals("helloword", first.get("func").asText());
        assertEquals("{\"my\":\"héllo\"}", first.get("param").asText());
        assertEquals(1, first.get("flag").asInt());
        assertEquals(42, first.get("costtime").asInt());
        assertEquals("héllo 中文", first.get("message").asText());
        JsonNode second = json.readTree(lines.get(0).startsWith("{\"id\": \"0123") ? lines.get(1) : lines.get(0));
        assertEquals(-1, second.get("flag").asInt());
        assertEquals("app exec timeout", second.get("message").asText());
    }

    @Test
    void answersAtOnceWhileASlowOrFailingProcessRunsInItsThread() throws Exception {
        Path out = dir.resolve("slow.txt");
        Files.writeString(dir.resolve("slowmod.py"), """
                import time
                def process(ins, flag, costtime, message):
                    if message == "boom":
                        raise RuntimeError("user code failed")
                    time.sleep(2)
                    with open(%s, "a") as f:
                        f.write("%%s %%s %%s %%s\\n" %% (ins.ip, flag, costtime, message))
                """.formatted("'" + out + "'"));
        // a module name, imported from the working directory
        int port = start("slowmod");
        Instruct ins = new Instruct("0000000000000001", "127.0.0.72", "cron", "P", "apptest", "f", "", 0, "");
        long t0 = System.nanoTime();
        assertEquals("success", runProcessor(port, new Reinstruct(ins, 0, 5, "boom")));
        assertEquals("success", runProcessor(port, new Reinstruct(ins, 0, 5, "late")));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 1500, "runProcessor must not wait for process(): " + ms + " ms");
        assertEquals(List.of("127.0.0.72 0 5 late"), awaitLines(out, 1));
        assertTrue(Files.readString(dir.resolve("processor.log")).contains("user code failed"), "the failure is logged");
    }
}

package org.elves.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.elves.agent.config.AgentSettings;
import org.elves.agent.config.ConfigFile;
import org.elves.agent.config.Endpoint;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The packages as an operator gets them: the built tar.gz archives (target/, after the package
 * phase) are unpacked with tar and their launchers run as processes, their sample settings read by
 * the agent's and the center's own readers, their systemd units checked by systemd-analyze.
 */
class PackagesTest {
    private static final Path TARGET = Path.of(System.getProperty("elves.packages.dir", "target"));
    private static final String VERSION = System.getProperty("elves.version", "0.1.0-SNAPSHOT");
    /** Where the units and docs/deployment.md install each package (a symlink to the versioned directory). */
    private static final String AGENT_HOME = "/opt/elves-agent";
    private static final String CENTER_HOME = "/opt/elves-center";
    /** Queue and exchange names of the center started here, removed from the broker afterwards. */
    private static final String MQ_NAMESPACE = "elves-packaging-test";

    @TempDir
    static Path unpacked;
    static Path agent;
    static Path center;

    @BeforeAll
    static void unpack() throws Exception {
        agent = untar("elves-agent-" + VERSION + ".tar.gz");
        center = untar("elves-center-" + VERSION + ".tar.gz");
    }

    private static Path untar(String archive) throws Exception {
        Path file = TARGET.resolve(archive);
        assertTrue(Files.isRegularFile(file), file.toAbsolutePath() + " is built by the package phase");
        Path opt = Files.createDirectories(unpacked.resolve("opt").resolve(archive));
        Run run = run(List.of("tar", "-xzf", file.toAbsolutePath().toString(), "-C", opt.toString()), Map.of());
        assertEquals(0, run.exit, run.toString());
        String top = archive.substring(0, archive.length() - ".tar.gz".length());
        Path dir = opt.resolve(top);
        assertTrue(Files.isDirectory(dir), "the archive unpacks into one directory " + top);
        try (Stream<Path> entries = Files.list(opt)) {
            assertEquals(List.of(dir), entries.toList(), "nothing beside the package's own directory");
        }
        return dir;
    }

    // ---- the agent package -------------------------------------------------------------

    @Test
    void agentPackageHoldsTheAgentAloneWithItsLogBinding() throws IOException {
        for (String file : List.of("bin/elves-agent", "etc/agent.json", "systemd/elves-agent.service",
                "README.md", "WINDOWS.md")) {
            assertTrue(Files.size(agent.resolve(file)) > 0, file);
        }
        assertTrue(Files.isExecutable(agent.resolve("bin/elves-agent")));
        List<String> jars = jars(agent);
        for (String needed : List.of("elves-agent-", "elves-protocol-", "libthrift-", "picocli-", "slf4j-api-",
                "slf4j-simple-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(needed)), needed + " in " + jars);
        }
        // nothing of the center: the agent's memory budget has no room for it
        for (String centerOnly : List.of("camel-", "elves-routes-", "elves-cli-", "log4j-core-", "spring-")) {
            assertTrue(jars.stream().noneMatch(j -> j.startsWith(centerOnly)), centerOnly + " in " + jars);
        }
    }

    @Test
    void agentLauncherRunsTheAgentCommand() throws Exception {
        Run version = run(List.of(agent.resolve("bin/elves-agent").toString(), "--version"), Map.of());
        assertEquals(0, version.exit, version.toString());
        assertTrue(version.out.startsWith("elves agent " + VERSION + "\n"), version.toString());
        Run help = run(List.of(agent.resolve("bin/elves-agent").toString(), "--help"), Map.of());
        assertEquals(0, help.exit, help.toString());
        assertTrue(help.out.startsWith("Usage: agent "), help.toString());
        assertTrue(help.out.contains("--config=<cfg.json>") && help.out.contains("--state-dir=<dir>"), help.out);
        // through the install symlink (/opt/elves-agent) and a link to the script (/usr/local/bin):
        // the launcher finds its lib/ from its real path
        Path home = Files.createSymbolicLink(unpacked.resolve("elves-agent"), agent);
        Path bin = Files.createDirectories(unpacked.resolve("usr-local-bin"));
        Path link = Files.createSymbolicLink(bin.resolve("elves-agent"), home.resolve("bin/elves-agent"));
        Run linked = run(List.of(link.toString(), "--version"), Map.of());
        assertEquals(0, linked.exit, linked.toString());
        assertEquals(version.out, linked.out);
        // ELVES_JAVA_OPTS reaches the JVM as options, not as shell text: a bad one stops java itself
        Run bad = run(List.of(agent.resolve("bin/elves-agent").toString(), "--version"),
                Map.of("ELVES_JAVA_OPTS", "-XX:+NoSuchOption;echo"));
        assertTrue(bad.exit != 0 && bad.err.contains("NoSuchOption;echo"), bad.toString());
    }

    /** The sample settings, read by the agent's own reader: each value lands where docs/deployment.md says. */
    @Test
    void sampleAgentConfigLoads() {
        AgentSettings settings = ConfigFile.load(agent.resolve("etc/agent.json")).build();
        assertEquals(List.of(new Endpoint("10.0.0.11", 11102), new Endpoint("10.0.0.12", 11102)),
                settings.heartbeats());
        assertEquals(List.of(new Endpoint("10.0.0.11", 10101), new Endpoint("10.0.0.12", 10101)),
                settings.schedulers());
        assertEquals(List.of("10.0.0.11", "10.0.0.12"), settings.authips());
        // the unit's StateDirectory= (the apps below it, so the unit creates both for the agent's user)
        assertEquals(Path.of("/var/lib/elves-agent/apps"), settings.appsDir());
        assertEquals(Path.of("/var/lib/elves-agent"), settings.stateDir());
        assertEquals(11101, settings.port());
    }

    /**
     * The packaged agent starts with the sample settings (addresses overridden by options, as the
     * unit overrides the state directory), accepts connections, logs through its packaged binding,
     * and stops on SIGTERM, as under systemd.
     */
    @Test
    void packagedAgentServesAndStopsOnSigterm() throws Exception {
        Path state = unpacked.resolve("agent-state");
        Path log = unpacked.resolve("agent.log");
        ProcessBuilder builder = new ProcessBuilder(agent.resolve("bin/elves-agent").toString(),
                "--config", agent.resolve("etc/agent.json").toString(), "--ip", "127.0.0.1", "--bind", "127.0.0.1",
                "--port", "0", "--no-heartbeat", "--state-dir", state.toString(),
                "--apps-dir", unpacked.resolve("agent-apps").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = clean(builder).start();
        try {
            Matcher listening = await(p, log,
                    Pattern.compile("(?m)^elves agent 127\\.0\\.0\\.1 listening on 127\\.0\\.0\\.1:(\\d+)$"), 20);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(listening.group(1))), 2000);
            }
            stopBySigterm(p, log);
            String output = Files.readString(log);
            assertEquals(143, p.exitValue(), "the exit of a JVM ended by SIGTERM (SuccessExitStatus=143)\n" + output);
            // slf4j-simple's format (date, thread, level): the package brings a log binding
            assertTrue(Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\d [0-9:.]+ \\[elves-agent-shutdown] INFO ElvesAgent"
                    + " - agent 127\\.0\\.0\\.1 stopped").matcher(output).find(), output);
            assertTrue(Files.isRegularFile(state.resolve("tasks.journal")), "state kept in --state-dir");
        } finally {
            p.destroyForcibly();
        }
    }

    // ---- the center package ------------------------------------------------------------

    @Test
    void centerPackageHoldsTheElvesCommandAndOneFilePerShape() throws IOException {
        for (String file : List.of("bin/elves-center", "bin/elves", "etc/center.env", "systemd/elves-center@.service",
                "README.md")) {
            assertTrue(Files.size(center.resolve(file)) > 0, file);
        }
        assertTrue(Files.isExecutable(center.resolve("bin/elves-center")));
        assertTrue(Files.isExecutable(center.resolve("bin/elves")));
        List<String> jars = jars(center);
        for (String needed : List.of("elves-cli-", "elves-routes-", "elves-agent-", "camel-main-", "log4j-slf4j2-impl-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(needed)), needed + " in " + jars);
        }
        // one binding only: slf4j-simple is the agent package's
        assertTrue(jars.stream().noneMatch(j -> j.startsWith("slf4j-simple-")), jars.toString());
        TreeSet<String> expected = new TreeSet<>(List.of("all"));
        for (Component c : Component.values()) {
            expected.add(c.id());
        }
        assertEquals(expected, new TreeSet<>(shapes().keySet()), "a shape for all in one process and one per component");
    }

    @Test
    void centerLaunchersRunTheElvesCommand() throws Exception {
        Run version = run(List.of(center.resolve("bin/elves").toString(), "--version"), Map.of());
        assertEquals(0, version.exit, version.toString());
        assertEquals("elves " + VERSION + "\n", version.out, version.toString());
        Run help = run(List.of(center.resolve("bin/elves-center").toString(), "--help"), Map.of());
        assertEquals(0, help.exit, help.toString());
        assertTrue(help.out.startsWith("Usage: elves center "), help.toString());
        assertTrue(help.out.contains("--config=FILE") && help.out.contains("--components=LIST"), help.out);
    }

    /**
     * Each shape file names known components (the center's own parser), "all" all of them and
     * center-X X alone, and sets (or shows commented out) only keys its process reads: keys with a
     * default in the defaults files of the center and its components. Then the file is read as the
     * center reads it and its values win over the defaults.
     */
    @Test
    void shapeFilesNameKnownComponentsAndTheirOwnKeys() throws IOException {
        for (Map.Entry<String, Path> shape : shapes().entrySet()) {
            Properties file = properties(shape.getValue());
            List<Component> components = Component.parse(file.getProperty("elves.components"));
            List<Component> expected = shape.getKey().equals("all") ? List.of(Component.values())
                    : List.of(Component.parse(shape.getKey()).get(0));
            assertEquals(expected, components, shape.getValue().toString());
            try (ElvesConfig defaults = isolated(components).build();
                    ElvesConfig read = isolated(components).propertiesFile(shape.getValue()).build()) {
                List<String> keys = new ArrayList<>();
                Matcher commented = Pattern.compile("(?m)^#\\s*(elves\\.[a-z0-9.-]+)=")
                        .matcher(Files.readString(shape.getValue()));
                while (commented.find()) {
                    keys.add(commented.group(1));
                }
                keys.addAll(file.stringPropertyNames());
                keys.remove("elves.components"); // chooses the defaults files, so it has none
                for (String key : keys) {
                    assertTrue(defaults.find(key).isPresent(),
                            shape.getValue() + ": " + key + " is not read by " + components);
                }
                for (String key : file.stringPropertyNames()) {
                    assertEquals(file.getProperty(key), read.get(key), shape.getValue() + ": " + key);
                }
            }
        }
    }

    /** etc/center.env: every ELVES_ variable sets a key the center reads, to its value. */
    @Test
    void sharedEnvironmentFileSetsCenterKeys() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(center.resolve("etc/center.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertTrue(env.containsKey("ELVES_ZOOKEEPER_CONNECT") && env.containsKey("ELVES_MONGO_URI")
                && env.containsKey("ELVES_MQ_HOST"), env.toString());
        List<Component> all = List.of(Component.values());
        // no connection to the sample's ZooKeeper ensemble: the one override, checked by name below
        try (ElvesConfig defaults = isolated(all).build();
                ElvesConfig read = isolated(all).environment(env).override("elves.zookeeper.connect", "").build()) {
            for (Map.Entry<String, String> variable : env.entrySet()) {
                String key = variable.getKey().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
                assertTrue(defaults.find(key).isPresent(), variable.getKey() + " names no key the center reads");
                if (!key.equals("elves.zookeeper.connect")) {
                    assertEquals(variable.getValue(), read.get(key), variable.getKey());
                }
            }
        }
    }

    /**
     * The packaged center runs a shape from its file (no --components: elves.components in the
     * file chooses): Heartbeat, against the local RabbitMQ the tests use, until SIGTERM.
     */
    @Test
    void packagedCenterRunsAShapeAndStopsOnSigterm() throws Exception {
        Path shape = center.resolve("etc/shapes/center-heartbeat.properties");
        Path log = unpacked.resolve("center.log");
        ProcessBuilder builder = new ProcessBuilder(center.resolve("bin/elves-center").toString(),
                "--config", shape.toString(),
                "-D", "elves.heartbeat.host=127.0.0.1", "-D", "elves.heartbeat.port=0",
                "-D", "elves.mq.queue-prefix=" + MQ_NAMESPACE + "-", "-D", "elves.mq.exchange=" + MQ_NAMESPACE,
                // no Supervisor or Cron to ask in this test
                "-D", "elves.heartbeat.deployments=false", "-D", "elves.heartbeat.agent-crons=false")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = clean(builder).start();
        try {
            // the launcher's INFO level for a service: the start is in the journal (about 3 s on an
            // idle 2-core machine; the bound is for a loaded one)
            await(p, log, Pattern.compile("(?m) Elves center started: \\[heartbeat]$"), 90);
            Matcher thrift = await(p, log,
                    Pattern.compile("(?m) heartbeat Thrift server listening on 127\\.0\\.0\\.1:(\\d+)$"), 1);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(thrift.group(1))), 2000);
            }
            stopBySigterm(p, log);
            assertEquals(143, p.exitValue(), Files.readString(log));
        } finally {
            p.destroyForcibly();
            deleteNamespace();
        }
    }

    /**
     * SIGTERM, then the exit within the unit's TimeoutStopSec (20 s). A process still running then
     * fails the test with its threads (the launchers exec the JVM, so it is this process) and its
     * log: a stop that hangs once in many runs is diagnosed from that run.
     */
    private static void stopBySigterm(Process p, Path log) throws Exception {
        p.destroy();
        if (p.waitFor(20, TimeUnit.SECONDS)) {
            return;
        }
        // into a file, waited for with a bound: a JVM that ignores signals may not answer jcmd either
        Path threads = Files.createTempFile(log.getParent(), "threads", ".txt");
        Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(p.pid()), "Thread.print").redirectErrorStream(true).redirectOutput(threads.toFile()).start();
        if (!dump.waitFor(30, TimeUnit.SECONDS)) {
            dump.destroyForcibly();
        }
        fail("not stopped within the unit's TimeoutStopSec\n--- its threads:\n" + Files.readString(threads)
                + "\n--- its log:\n" + Files.readString(log));
    }

    private static void deleteNamespace() {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            RabbitAdmin admin = new RabbitAdmin(factory);
            for (Component c : Component.values()) {
                admin.deleteQueue(MQ_NAMESPACE + "-" + c.id());
            }
            admin.deleteExchange(MQ_NAMESPACE);
        } finally {
            factory.destroy();
        }
    }

    // ---- systemd units -----------------------------------------------------------------

    /** What systemd needs and what docs/deployment.md relies on, read from the unit files. */
    @Test
    void unitsStartThePackagedLaunchers() throws IOException {
        Map<String, String> agentUnit = unitKeys(agent.resolve("systemd/elves-agent.service"));
        assertExecStart(agentUnit, AGENT_HOME, agent, "bin/elves-agent");
        // workers outlive a restart of the agent, which adopts them (docs/reliability.md)
        assertEquals("process", agentUnit.get("Service.KillMode"));
        assertEquals("elves-agent elves-agent/apps", agentUnit.get("Service.StateDirectory"));
        assertTrue(agentUnit.get("Service.ExecStart").contains("--config /etc/elves/agent.json"));
        Map<String, String> centerUnit = unitKeys(center.resolve("systemd/elves-center@.service"));
        assertExecStart(centerUnit, CENTER_HOME, center, "bin/elves-center");
        // the instance is the shape: /etc/elves/center-<shape>.properties is the package's etc/shapes/center-<shape>.properties
        assertTrue(centerUnit.get("Service.ExecStart").endsWith("--config /etc/elves/center-%i.properties"),
                centerUnit.toString());
        assertEquals("/etc/elves/center.env", centerUnit.get("Service.EnvironmentFile"));
        // the Watcher's drop-in: it yields the CPU to the components on the task's path
        Map<String, String> watcherDropIn = unitKeys(center.resolve("systemd/elves-center@watcher.service.d/priority.conf"));
        assertEquals("idle", watcherDropIn.get("Service.CPUSchedulingPolicy"));
        assertEquals("20", watcherDropIn.get("Service.CPUWeight"));
        for (Map<String, String> unit : List.of(agentUnit, centerUnit)) {
            assertEquals("elves", unit.get("Service.User"));
            assertEquals("on-failure", unit.get("Service.Restart"));
            assertEquals("143", unit.get("Service.SuccessExitStatus"));
            assertEquals("multi-user.target", unit.get("Install.WantedBy"));
        }
    }

    /**
     * systemd's own check of the units (keys, values, the command): with the install directory
     * replaced by where the package is unpacked here, as if it were installed there, and the
     * template as one instance per shape.
     */
    @Test
    void systemdVerifiesTheUnits() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "no systemd-analyze here");
        Path dir = Files.createDirectories(unpacked.resolve("units"));
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        Path agentUnit = dir.resolve("elves-agent.service");
        Files.writeString(agentUnit, Files.readString(agent.resolve("systemd/elves-agent.service"))
                .replace(AGENT_HOME + "/", agent + "/"));
        command.add(agentUnit.toString());
        String template = Files.readString(center.resolve("systemd/elves-center@.service"))
                .replace(CENTER_HOME + "/", center + "/");
        for (String shape : shapes().keySet()) {
            Path instance = dir.resolve("elves-center@" + shape + ".service");
            Files.writeString(instance, template);
            command.add(instance.toString());
        }
        Run verify = run(command, Map.of());
        assertEquals(0, verify.exit, verify.toString());
        assertEquals("", verify.out + verify.err, "systemd-analyze has no remark");
    }

    private static void assertExecStart(Map<String, String> unit, String home, Path unpackedHome, String launcher) {
        String execStart = unit.get("Service.ExecStart");
        assertTrue(execStart != null && execStart.startsWith(home + "/" + launcher + " "), unit.toString());
        assertTrue(Files.isExecutable(unpackedHome.resolve(launcher)), launcher);
        for (String key : List.of("Unit.Description", "Unit.After", "Service.Type", "Service.Group")) {
            assertTrue(unit.containsKey(key), key + " in " + unit);
        }
    }

    /** Section.Key to value; a key given twice is a mistake here. */
    private static Map<String, String> unitKeys(Path unit) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        String section = null;
        for (String line : Files.readAllLines(unit)) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (s.startsWith("[")) {
                section = s.substring(1, s.length() - 1);
                continue;
            }
            int eq = s.indexOf('=');
            assertTrue(section != null && eq > 0, unit + ": " + line);
            String previous = keys.put(section + "." + s.substring(0, eq), s.substring(eq + 1));
            if (previous != null) {
                fail(unit + ": " + s.substring(0, eq) + " twice");
            }
        }
        return keys;
    }

    // ---- helpers -----------------------------------------------------------------------

    /** A config of the center's defaults and what the test gives only: not this JVM's environment. */
    private static ElvesConfig.Builder isolated(List<Component> components) {
        return Center.configFor(components).environment(Map.of()).systemProperties(new Properties());
    }

    /** shape name to its file in the center package's etc/shapes. */
    private static Map<String, Path> shapes() throws IOException {
        try (Stream<Path> files = Files.list(center.resolve("etc/shapes"))) {
            return files.sorted().collect(Collectors.toMap(f -> {
                String name = f.getFileName().toString();
                assertTrue(name.matches("center-[a-z]+\\.properties"), name);
                return name.substring("center-".length(), name.length() - ".properties".length());
            }, f -> f, (a, b) -> a, LinkedHashMap::new));
        }
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return p;
    }

    private static List<String> jars(Path home) throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("lib"))) {
            List<String> jars = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertTrue(jars.stream().allMatch(j -> j.endsWith(".jar")), jars.toString());
            return jars;
        }
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs a command to its end (30 s at most) with extra environment variables. */
    private static Run run(List<String> command, Map<String, String> env) throws Exception {
        // output to files, not pipes: nothing to drain, no reader racing the process's exit
        Path out = Files.createTempFile(unpacked, "out", ".txt");
        Path err = Files.createTempFile(unpacked, "err", ".txt");
        ProcessBuilder builder = clean(new ProcessBuilder(command)).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), command + " did not end");
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Without this JVM's launcher and Elves variables: the packages' defaults are under test. */
    private static ProcessBuilder clean(ProcessBuilder builder) {
        builder.environment().keySet().removeIf(name -> name.startsWith("ELVES_"));
        return builder;
    }

    /** Waits until the process's output file shows the pattern; fails when it ends first or after the seconds. */
    private static Matcher await(Process p, Path log, Pattern pattern, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Matcher m = pattern.matcher(Files.readString(log));
            if (m.find()) {
                return m;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                fail("no " + pattern + " in the output" + (p.isAlive() ? "" : " (ended: " + p.exitValue() + ")")
                        + ":\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }
}

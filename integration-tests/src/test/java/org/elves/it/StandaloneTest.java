package org.elves.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A newcomer runs `elves standalone`, pastes the printed command and gets the example app's answer;
 * a second start is refused; Ctrl-C stops it.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StandaloneTest {

    @Test
    void standaloneStartsAnswersRefusesASecondStartAndStops(@TempDir Path home) throws Exception {
        String apiPort = String.valueOf(freePort());
        List<String> args = List.of("standalone", "--home", home.toString(), "--api-port", apiPort,
                "--agent-ip", "127.0.0.31", "--agent-port", String.valueOf(freePort()),
                "--heartbeat-port", String.valueOf(freePort()), "--scheduler-port", String.valueOf(freePort()));
        Map<String, String> env = Map.of("ELVES_HOME", home.toString());
        try (JavaProcess standalone = JavaProcess.start("standalone", env, "org.elves.cli.ElvesCli", args)) {
            standalone.awaitOutput("Ctrl-C stops everything", Duration.ofSeconds(60));
            String banner = standalone.output();
            assertTrue(banner.contains("./elves exec --ip 127.0.0.31 --app apptest --func helloword"), banner);
            assertTrue(banner.contains("curl -s 'http://127.0.0.1:" + apiPort + "/api/v2/rt/exec?"), banner);
            assertTrue(Files.exists(home.resolve("credentials.properties")));

            // the printed CLI call, with nothing but ELVES_HOME (the credentials file) to go on
            try (JavaProcess exec = JavaProcess.start("exec", env, "org.elves.cli.ElvesCli", List.of(
                    "exec", "--ip", "127.0.0.31", "--app", "apptest", "--func", "helloword", "--param", "{\"my\":\"from the banner\"}"))) {
                assertEquals(0, exec.awaitExit(Duration.ofSeconds(60)), exec.output());
                assertTrue(exec.output().contains("from the banner"), exec.output());
            }

            try (JavaProcess second = JavaProcess.start("second", env, "org.elves.cli.ElvesCli", args)) {
                int exit = second.awaitExit(Duration.ofSeconds(60));
                assertNotEquals(0, exit);
                assertTrue(second.output().contains("already running"), second.output());
            }

            standalone.terminate();
            standalone.awaitExit(Duration.ofSeconds(30));
            assertTrue(standalone.output().contains("elves standalone: stopping"), standalone.output());
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

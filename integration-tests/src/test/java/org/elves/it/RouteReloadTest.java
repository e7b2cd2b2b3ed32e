package org.elves.it;

import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.standalone.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An operator edits a route file of a running center and sees the change without a restart. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RouteReloadTest {
    private static final Path SOURCE = Path.of("..", "routes", "src", "main", "resources", "org", "elves", "center");

    @Test
    void anEditedRouteFileAppliesLive(@TempDir Path routes) throws Exception {
        copyTree(SOURCE, routes);
        try (LocalCluster cluster = LocalCluster.builder().components(List.of(Component.values()))
                .setting("elves.routes.dir", routes.toString()).start()) {
            Api api = Api.of(cluster);
            ApiResponse before = api.call("/api/v2/info/agents", Map.of());
            assertTrue(before.ok(), before.error());
            assertEquals("[]", before.result().toString());

            Path file = routes.resolve("openapi").resolve("openapi-info.camel.yaml");
            String anchor = "                  - setBody: { method: { ref: infoApi, method: agents } }\n";
            String original = Files.readString(file);
            assertTrue(original.contains(anchor), "the agent list route is where the test expects it");
            Files.writeString(file, original.replace(anchor, anchor
                    + "                  - setBody: { simple: '{\"flag\":\"true\",\"error\":\"\",\"result\":[\"edited\"]}' }\n"
                    + "                  - unmarshal: { json: {} }\n"));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            ApiResponse after;
            do {
                Thread.sleep(200);
                after = api.call("/api/v2/info/agents", Map.of());
            } while (!after.result().toString().contains("edited") && System.nanoTime() < deadline);
            assertEquals("[\"edited\"]", after.result().toString(), after.error());
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}

package org.elves.center;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The routes index the center loads from must name exactly the route files there are. */
class RoutesIndexTest {

    @Test
    void theIndexListsEveryRouteFile() throws Exception {
        Path root = Path.of("src/main/resources/org/elves/center");
        List<String> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".camel.yaml"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
        assertEquals(files, Center.routeFiles().stream().sorted().toList(),
                "update src/main/resources/org/elves/center/routes.index");
    }
}

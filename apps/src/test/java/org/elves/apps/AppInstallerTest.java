package org.elves.apps;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppInstallerTest {
    @TempDir
    Path apps;

    @Test
    void installsThePythonExampleWithTheSdkEntry() throws Exception {
        Path dir = AppInstaller.installExample("apptest", apps);
        assertEquals(apps.resolve("apptest"), dir);
        assertEquals(Set.of("app-worker.py", "apptest.py", "appcfg.json", "processor.py", "VERSION"), names(dir));
        assertTrue(Files.isExecutable(dir.resolve("app-worker.py")));
        assertArrayEquals(Files.readAllBytes(Path.of("sdk/python/app-worker.py")), Files.readAllBytes(dir.resolve("app-worker.py")));
        assertEquals("1.0.0", Files.readString(dir.resolve("VERSION")).strip());
    }

    @Test
    void installsTheShellExampleWithItsHelperAndCanRefresh() throws Exception {
        Path dir = AppInstaller.installExample("shelltest", apps);
        Files.writeString(dir.resolve("app-worker.sh"), "stale");
        AppInstaller.installExample("shelltest", apps);
        assertEquals(Set.of("app-worker.sh", "elves-worker.sh", "VERSION"), names(dir));
        assertArrayEquals(Files.readAllBytes(Path.of("examples/shelltest/app-worker.sh")), Files.readAllBytes(dir.resolve("app-worker.sh")));
    }

    @Test
    void theIndexListsExactlyTheFilesOfEachExampleDirectory() throws Exception {
        for (String app : AppInstaller.examples()) {
            Path installed = AppInstaller.installExample(app, apps);
            Set<String> source;
            try (Stream<Path> files = Files.list(Path.of("examples", app))) {
                source = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("__pycache__")).collect(Collectors.toSet());
            }
            Set<String> got = names(installed);
            got.removeIf(n -> n.equals("app-worker.py") && app.equals("apptest") || n.equals("elves-worker.sh"));
            assertEquals(source, got, app);
        }
        assertEquals(List.of("apptest", "shelltest"), AppInstaller.examples());
    }

    @Test
    void unknownExamplesAndBadAppDirsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppInstaller.installExample("nope", apps));
        assertEquals("no example app [nope]; examples: [apptest, shelltest]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AppInstaller.installSdkEntry(apps.resolve(".hidden"), AppInstaller.Sdk.PYTHON));
        // a root has no file name: refused like any bad name, not a NullPointerException
        assertThrows(IllegalArgumentException.class, () -> AppInstaller.installSdkEntry(Path.of("/"), AppInstaller.Sdk.PYTHON));
    }

    private static Set<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}

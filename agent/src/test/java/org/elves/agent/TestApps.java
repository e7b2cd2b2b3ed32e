package org.elves.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Writes small apps into a test's apps dir. */
public final class TestApps {
    private TestApps() {
    }

    /** An app whose entry is app-worker.sh with this POSIX sh body. */
    public static Path shell(Path appsDir, String app, String body) throws IOException {
        return file(appsDir, app, "app-worker.sh", body, false);
    }

    /** A file in the app's dir (created if needed), optionally executable. */
    public static Path file(Path appsDir, String app, String name, String content, boolean executable) throws IOException {
        Path dir = Files.createDirectories(appsDir.resolve(app));
        Path f = dir.resolve(name);
        Files.writeString(f, content, UTF_8);
        if (executable) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /** Prints the two tags the agent parses. */
    public static String tags(String flag, String result) {
        return "printf '%s' '<ElvesWFlag>" + flag + "</ElvesWFlag> <ElvesWResult>" + result + "</ElvesWResult>'\n";
    }
}

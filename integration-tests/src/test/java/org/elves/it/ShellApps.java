package org.elves.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test apps written on the fly: a POSIX sh worker in the agents' apps directory. */
final class ShellApps {
    private ShellApps() {
    }

    /** Writes {@code <dir>/app-worker.sh} with this body (called as: app func base64-param). */
    static void write(Path dir, String body) throws Exception {
        Files.createDirectories(dir);
        Path worker = dir.resolve("app-worker.sh");
        Files.writeString(worker, "#!/bin/sh\n" + body);
        worker.toFile().setExecutable(true);
    }
}

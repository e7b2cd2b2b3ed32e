package org.elves.agent.state;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only the agent's user can read: the state dir holds task params and results,
 * which may carry secrets. On a file system without POSIX permissions the default ones apply.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");
    /** For {@code FileChannel.open}/{@code Files.createFile}: a new file made 0600. */
    public static final FileAttribute<?>[] FILE = posix()
            ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FILE_PERMS)} : new FileAttribute<?>[0];

    private PrivateFiles() {
    }

    /** Creates the directory (and missing parents, 0700) if needed. */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (!posix()) {
            return Files.createDirectories(dir);
        }
        try {
            return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_PERMS));
        } catch (FileAlreadyExistsException e) {
            return dir; // created by another thread meanwhile, or a symlink to a directory
        }
    }

    /** Makes an existing directory (the agent's state dir) 0700, creating it if needed. */
    public static void restrictDirectory(Path dir) throws IOException {
        createDirectories(dir);
        if (posix()) {
            Files.setPosixFilePermissions(dir, DIR_PERMS);
        }
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}

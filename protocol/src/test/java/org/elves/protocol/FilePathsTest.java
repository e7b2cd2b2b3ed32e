package org.elves.protocol;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilePathsTest {

    @Test
    void nameAndParentOfAFile() {
        assertEquals("b.log", FilePaths.name(Path.of("/a/b.log")));
        assertEquals(Path.of("/a"), FilePaths.parent(Path.of("/a/b.log")));
        assertEquals(Path.of("").toAbsolutePath(), FilePaths.parent(Path.of("b.log")));
    }

    @Test
    void aRootIsRefusedWithItsPathInTheMessage() {
        Path root = Path.of("/");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FilePaths.name(root)).getMessage().contains("[/]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FilePaths.parent(root)).getMessage().contains("[/]"));
    }
}

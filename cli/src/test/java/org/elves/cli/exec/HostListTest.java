package org.elves.cli.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostListTest {
    @TempDir
    Path dir;

    @Test
    void commasSpacesAndRepeatedOptionsKeepFirstSeenOrderWithoutRepeats() {
        assertEquals(List.of("10.0.0.2", "10.0.0.1", "192.168.1.255", "0.0.0.0"),
                HostList.parse(List.of("10.0.0.2, 10.0.0.1,,192.168.1.255", "\t10.0.0.2  0.0.0.0\n")));
    }

    @Test
    void filesIgnoreBlankLinesAndComments() throws IOException {
        Path f = dir.resolve("hosts");
        Files.writeString(f, "# all\n\n10.0.0.3\r\n  10.0.0.1 # db\n#10.0.0.9\n10.0.0.3\n");
        assertEquals(List.of("10.0.0.1", "10.0.0.3"), HostList.parse(List.of("10.0.0.1", "@" + f)));
    }

    @Test
    void onlyDottedIpv4Passes() {
        for (String ok : List.of("1.2.3.4", "255.255.255.255", "10.0.0.0")) {
            assertTrue(HostList.isIpv4(ok), ok);
        }
        for (String bad : List.of("256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "a.b.c.d", "::1", "host", "1.2.3.-1")) {
            assertFalse(HostList.isIpv4(bad), bad);
        }
    }

    @Test
    void errorsSayWhatAndWhere() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostList.parse(List.of(" , ")));
        assertEquals("--ip names no address", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HostList.parse(List.of("@")));
        assertTrue(e.getMessage().contains("needs a file name"));
        Path f = dir.resolve("hosts");
        Files.writeString(f, "10.0.0.1\n\n10.0.0.1.1\n");
        e = assertThrows(IllegalArgumentException.class, () -> HostList.parse(List.of("@" + f)));
        assertTrue(e.getMessage().startsWith("--ip: '10.0.0.1.1' in @" + f + " line 3 is not"), e.getMessage());
    }
}

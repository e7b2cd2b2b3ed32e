package org.elves.standalone;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The standalone center's simple-mode key pair: ELVES_AUTH_ID / ELVES_AUTH_KEY when set, else the
 * pair kept in $ELVES_HOME/credentials.properties, else a new random pair. The file (mode 600) is
 * also what the CLI reads, so `./elves exec` works without arguments.
 */
public record Credentials(String authId, String authKey, boolean generated) {
    static final String FILE = "credentials.properties";

    public static Credentials resolve(Path home, Map<String, String> env) throws IOException {
        String id = env.get("ELVES_AUTH_ID");
        String key = env.get("ELVES_AUTH_KEY");
        Properties stored = read(home.resolve(FILE));
        if (isBlank(id)) {
            id = stored.getProperty("auth_id");
        }
        if (isBlank(key)) {
            key = stored.getProperty("auth_key");
        }
        boolean generated = false;
        SecureRandom random = new SecureRandom();
        if (isBlank(id)) {
            id = HexFormat.of().formatHex(random.generateSeed(8)).toUpperCase();
            generated = true;
        }
        if (isBlank(key)) {
            byte[] secret = new byte[16];
            random.nextBytes(secret);
            key = HexFormat.of().formatHex(secret);
            generated = true;
        }
        return new Credentials(id, key, generated);
    }

    /** Writes the file the CLI reads: api, auth_id, auth_key, readable by the owner only. */
    public void store(Path home, String apiUrl) throws IOException {
        Path file = home.resolve(FILE);
        Properties p = new Properties();
        p.setProperty("api", apiUrl);
        p.setProperty("auth_id", authId);
        p.setProperty("auth_key", authKey);
        Path tmp = Files.createTempFile(home, "credentials", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile directory protects it
        }
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "Elves standalone center: API and simple-mode key (keep secret)");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return p;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "Credentials[authId=" + authId + ", authKey=***]";
    }
}

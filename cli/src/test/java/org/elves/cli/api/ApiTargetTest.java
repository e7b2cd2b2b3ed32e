package org.elves.cli.api;

import org.elves.cli.CliEnvironment;
import org.elves.cli.CliFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiTargetTest {
    @TempDir
    Path home;

    private final Map<String, String> vars = new HashMap<>();

    private CliEnvironment env() {
        return new CliEnvironment(vars, home, false);
    }

    private void writeFile(Path elvesHome, String content) throws IOException {
        Files.createDirectories(elvesHome);
        Files.writeString(elvesHome.resolve("credentials.properties"), content);
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverTheFile() throws IOException {
        writeFile(home.resolve(".elves"), "api=http://file:1\nauth_id=file-id\nauth_key=file-key\n");
        vars.put("ELVES_API", "http://env:2");
        vars.put("ELVES_AUTH_ID", "env-id");
        vars.put("ELVES_AUTH_KEY", "env-key");

        ApiTarget t = ApiTarget.resolve("http://flag:3/", "flag-id", "flag-key", env());
        assertEquals(URI.create("http://flag:3"), t.api());
        assertEquals("flag-id", t.authId());
        assertEquals("flag-key", t.authKey());

        t = ApiTarget.resolve(null, null, null, env());
        assertEquals(URI.create("http://env:2"), t.api());
        assertEquals("env-id", t.authId());
        assertEquals("env-key", t.authKey());

        vars.clear();
        t = ApiTarget.resolve(null, null, null, env());
        assertEquals(URI.create("http://file:1"), t.api());
        assertEquals("file-id", t.authId());
        assertEquals("file-key", t.authKey());
    }

    @Test
    void eachValueComesFromTheFirstPlaceThatHasIt() throws IOException {
        writeFile(home.resolve(".elves"), "auth_id=file-id\nauth_key=file-key\n");
        vars.put("ELVES_AUTH_KEY", "env-key");
        vars.put("ELVES_AUTH_ID", "  ");
        ApiTarget t = ApiTarget.resolve(null, "flag-id", null, env());
        assertEquals("flag-id", t.authId());
        assertEquals("env-key", t.authKey());

        t = ApiTarget.resolve(null, null, null, env());
        assertEquals("file-id", t.authId(), "a blank variable counts as unset");
    }

    @Test
    void defaultUrlIsLocalhostOnElvesApiPort() {
        vars.put("ELVES_AUTH_ID", "1");
        vars.put("ELVES_AUTH_KEY", "k");
        assertEquals(URI.create("http://127.0.0.1:9091"), ApiTarget.resolve(null, null, null, env()).api());
        vars.put("ELVES_API_PORT", "19091");
        assertEquals(URI.create("http://127.0.0.1:19091"), ApiTarget.resolve(null, null, null, env()).api());
    }

    @Test
    void elvesHomeMovesTheCredentialsFile() throws IOException {
        Path elvesHome = home.resolve("elsewhere");
        writeFile(elvesHome, "auth_id=moved\nauth_key=moved-key\n");
        writeFile(home.resolve(".elves"), "auth_id=default\nauth_key=default-key\n");
        vars.put("ELVES_HOME", elvesHome.toString());
        assertEquals("moved", ApiTarget.resolve(null, null, null, env()).authId());
    }

    @Test
    void missingCredentialsNameWhatIsMissingAndWhereToPutItWithoutAnyKey() {
        vars.put("ELVES_AUTH_KEY", "only-the-key");
        CliFailure e = assertThrows(CliFailure.class, () -> ApiTarget.resolve(null, null, null, env()));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("AuthID is missing"), e.getMessage());
        assertTrue(e.getMessage().contains(home.resolve(".elves/credentials.properties").toString()), e.getMessage());
        assertFalse(e.getMessage().contains("only-the-key"));
    }

    @Test
    void unusableUrlsAreRefusedClearly() {
        vars.put("ELVES_AUTH_ID", "1");
        vars.put("ELVES_AUTH_KEY", "k");
        for (String url : new String[] {"127.0.0.1:9091", "ftp://host:1", "http://host:1/x?y=1", "http:// bad"}) {
            CliFailure e = assertThrows(CliFailure.class, () -> ApiTarget.resolve(url, null, null, env()), url);
            assertTrue(e.getMessage().startsWith("API URL '" + url + "' is not usable"), e.getMessage());
        }
        CliFailure e = assertThrows(CliFailure.class,
                () -> ApiTarget.resolve("http://admin:pa55@host:1", null, null, env()));
        assertFalse(e.getMessage().contains("pa55"), e.getMessage());
    }

    @Test
    void hmacByDefaultMd5WhenAskedByFlagEnvironmentOrFile() throws IOException {
        vars.put("ELVES_AUTH_ID", "1");
        vars.put("ELVES_AUTH_KEY", "k");
        assertEquals(HmacSigner.INSTANCE, ApiTarget.resolve(null, null, null, env()).signer());
        assertEquals(Md5Signer.INSTANCE, ApiTarget.resolve(null, null, null, "MD5", env()).signer());
        writeFile(home.resolve(".elves"), "sign_type=md5\n");
        assertEquals(Md5Signer.INSTANCE, ApiTarget.resolve(null, null, null, env()).signer());
        vars.put("ELVES_SIGN_TYPE", "hmac-sha256");
        assertEquals(HmacSigner.INSTANCE, ApiTarget.resolve(null, null, null, env()).signer());
        vars.put("ELVES_SIGN_TYPE", "md5");
        assertEquals(Md5Signer.INSTANCE, ApiTarget.resolve(null, null, null, env()).signer());
        assertEquals(HmacSigner.INSTANCE, ApiTarget.resolve(null, null, null, "hmac-sha256", env()).signer());
        CliFailure e = assertThrows(CliFailure.class, () -> ApiTarget.resolve(null, null, null, "sha1", env()));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("sign type 'sha1' is unknown"), e.getMessage());
        assertEquals(HmacSigner.INSTANCE, new ApiTarget(URI.create("http://h:1"), "7", "k").signer());
    }

    @Test
    void toStringShowsNoKey() {
        ApiTarget t = new ApiTarget(URI.create("http://h:1"), "7", "the-secret");
        assertEquals("http://h:1 as auth_id 7", t.toString());
    }
}

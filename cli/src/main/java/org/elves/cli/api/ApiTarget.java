package org.elves.cli.api;

import org.elves.cli.CliEnvironment;
import org.elves.cli.CliFailure;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * Which OpenAPI to call, with which AuthID and key, signed how. Each is taken from the first
 * place that has it: command-line flag, then environment ({@code ELVES_API},
 * {@code ELVES_AUTH_ID}, {@code ELVES_AUTH_KEY}, {@code ELVES_SIGN_TYPE}), then
 * {@code $ELVES_HOME/credentials.properties} (keys {@code api}, {@code auth_id}, {@code auth_key},
 * {@code sign_type}; the standalone center writes it), then, for the URL only,
 * {@code http://127.0.0.1:${ELVES_API_PORT:-9091}}, for the signature {@code hmac-sha256}
 * ({@code md5} for an original Elves).
 */
public final class ApiTarget {
    /** Exit code when the target cannot be resolved: a configuration error, like a usage error. */
    public static final int EXIT_CONFIG = 2;
    public static final String CREDENTIALS_FILE = "credentials.properties";
    static final int DEFAULT_PORT = 9091;

    private final URI api;
    private final String authId;
    private final String authKey;
    private final RequestSigner signer;

    /** A target signed with hmac-sha256. */
    public ApiTarget(URI api, String authId, String authKey) {
        this(api, authId, authKey, HmacSigner.INSTANCE);
    }

    public ApiTarget(URI api, String authId, String authKey, RequestSigner signer) {
        this.api = withoutTrailingSlash(Objects.requireNonNull(api, "api"));
        this.authId = Objects.requireNonNull(authId, "authId");
        this.authKey = Objects.requireNonNull(authKey, "authKey");
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    public static ApiTarget resolve(ApiOptions flags, CliEnvironment env) {
        return resolve(flags.api(), flags.authId(), flags.key(), flags.signType(), env);
    }

    /** Resolves the target from explicit values (any may be null) and the environment. */
    public static ApiTarget resolve(String apiFlag, String authIdFlag, String keyFlag, CliEnvironment env) {
        return resolve(apiFlag, authIdFlag, keyFlag, null, env);
    }

    /** Resolves the target from explicit values (any may be null) and the environment. */
    public static ApiTarget resolve(String apiFlag, String authIdFlag, String keyFlag, String signTypeFlag,
                                    CliEnvironment env) {
        Path file = env.elvesHome().resolve(CREDENTIALS_FILE);
        Properties stored = load(file);
        String api = first(apiFlag, env.variable("ELVES_API"), stored.getProperty("api"));
        if (api == null) {
            String port = env.variable("ELVES_API_PORT");
            api = "http://127.0.0.1:" + (port == null ? DEFAULT_PORT : port);
        }
        String authId = first(authIdFlag, env.variable("ELVES_AUTH_ID"), stored.getProperty("auth_id"));
        String key = first(keyFlag, env.variable("ELVES_AUTH_KEY"), stored.getProperty("auth_key"));
        if (authId == null || key == null) {
            throw new CliFailure(EXIT_CONFIG, "no API credentials: "
                    + (authId == null && key == null ? "AuthID and key are" : authId == null ? "AuthID is" : "key is")
                    + " missing. Give --auth-id and --key, or set ELVES_AUTH_ID and ELVES_AUTH_KEY, or put "
                    + "auth_id= and auth_key= into " + file
                    + " (a standalone center writes that file when it starts).");
        }
        String signType = first(signTypeFlag, env.variable("ELVES_SIGN_TYPE"), stored.getProperty("sign_type"));
        RequestSigner signer = signType == null ? HmacSigner.INSTANCE : RequestSigner.of(signType);
        if (signer == null) {
            throw new CliFailure(EXIT_CONFIG, "sign type '" + signType + "' is unknown: use hmac-sha256 (the default) "
                    + "or md5 (for an original Elves center)");
        }
        return new ApiTarget(parseUrl(api), authId, key, signer);
    }

    public URI api() {
        return api;
    }

    public String authId() {
        return authId;
    }

    /** The secret; only the signer may use it, nothing may print it. */
    public String authKey() {
        return authKey;
    }

    /** How requests to this target are signed. */
    public RequestSigner signer() {
        return signer;
    }

    /** The API URL and AuthID; never the key, so a target can be logged or shown safely. */
    @Override
    public String toString() {
        return api + " as auth_id " + authId;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            // no file is the normal case before a standalone center has run
        } catch (IOException | IllegalArgumentException e) {
            throw new CliFailure(EXIT_CONFIG, "cannot read " + file + ": " + e.getMessage());
        }
        return p;
    }

    /** The client appends /api/v2/...: "http://h:1/" and "http://h:1" must mean the same. */
    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return end == s.length() ? uri : URI.create(s.substring(0, end));
    }

    static URI parseUrl(String text) {
        if (text.contains("@")) {
            // never echo it: the part before @ would be a password
            throw new CliFailure(EXIT_CONFIG, "API URL must not contain user:password@; "
                    + "the OpenAPI authenticates by AuthID and key");
        }
        try {
            URI uri = new URI(text);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(text, "expected http://host:port or https://host:port[/path]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CliFailure(EXIT_CONFIG, "API URL '" + text + "' is not usable: " + e.getReason());
        }
    }
}

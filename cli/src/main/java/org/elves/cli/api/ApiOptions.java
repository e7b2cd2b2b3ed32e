package org.elves.cli.api;

import picocli.CommandLine.Option;

/**
 * The options that say which OpenAPI to call and as whom; mixed into every command that calls
 * the API ({@code @Mixin ApiOptions api;}) and resolved by {@link ApiTarget#resolve}.
 */
public final class ApiOptions {
    @Option(names = "--api", paramLabel = "URL",
            description = "OpenAPI base URL (default: $ELVES_API, api= in $ELVES_HOME/credentials.properties, "
                    + "else http://127.0.0.1:$${ELVES_API_PORT:-9091}).")
    String api;

    @Option(names = "--auth-id", paramLabel = "ID",
            description = "AuthID (default: $ELVES_AUTH_ID, else auth_id= in $ELVES_HOME/credentials.properties).")
    String authId;

    @Option(names = "--key", paramLabel = "KEY",
            description = "Secret auth key (default: $ELVES_AUTH_KEY, else auth_key= in "
                    + "$ELVES_HOME/credentials.properties). Prefer those: other users can see command lines.")
    String key;

    @Option(names = "--sign-type", paramLabel = "TYPE",
            description = "Signature: hmac-sha256 (default; with a nonce, against replays) or md5 (the original "
                    + "Elves's; default: $ELVES_SIGN_TYPE, else sign_type= in $ELVES_HOME/credentials.properties).")
    String signType;

    public String api() {
        return api;
    }

    public String authId() {
        return authId;
    }

    public String key() {
        return key;
    }

    public String signType() {
        return signType;
    }
}

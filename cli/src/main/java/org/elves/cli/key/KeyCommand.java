package org.elves.cli.key;

import org.elves.cli.CliEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code elves key}: OpenAPI keys (AuthID and secret) and what each may call: which apps on
 * which agents. Admin keys only.
 */
@Command(name = "key",
        mixinStandardHelpOptions = true,
        description = {
                "OpenAPI keys and their grants: which app a key may call on which agents (admin key needed). "
                        + "A secret is shown once, when the key is created or rotated.",
                "Typical use: elves key create --name ci --app myapp --ip 10.0.0.1,10.0.0.2 --json; "
                        + "elves key list; elves key rotate AUTH_ID; elves key revoke AUTH_ID"},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
                KeyCreate.class,
                KeyGrant.class,
                KeyRevoke.class,
                KeyRotate.class,
                KeyList.class})
public final class KeyCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    public KeyCommand(CliEnvironment env) {
        this.env = env;
    }

    CliEnvironment env() {
        return env;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }
}

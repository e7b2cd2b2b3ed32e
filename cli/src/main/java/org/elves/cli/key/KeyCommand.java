package org.elves.cli.key;

import org.elves.cli.CliEnvironment;
import org.elves.cli.GroupCommand;
import picocli.CommandLine.Command;


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
public final class KeyCommand extends GroupCommand {
    public KeyCommand(CliEnvironment env) {
        super(env);
    }
}

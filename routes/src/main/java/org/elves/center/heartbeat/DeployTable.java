package org.elves.center.heartbeat;

import org.elves.center.common.PolledTable;
import org.elves.center.contract.Deployments;

import java.util.Map;

/**
 * The Supervisor's deployments as heartbeat answers need them (route heartbeat-deployments):
 * apps [{app, version, sha256, size, url, agents}] and managed [app], the apps the Supervisor
 * decides the placement of. Until the Supervisor first answered, nothing is known and answers
 * keep the simple mode's behaviour, so agents never drop apps because the Supervisor is away
 * (reference G46).
 */
public class DeployTable extends PolledTable<Deployments> {
    public DeployTable() {
        super("app deployments");
    }

    @Override
    protected Deployments parse(Map<String, Object> result) {
        return Deployments.fromMap(result);
    }

    /** {app: {version, url, sha256, size}} of the apps deployed to this agent; null while unknown. */
    public Map<String, Object> packagesFor(String ip) {
        Deployments table = value();
        return table == null ? null : table.packagesFor(ip);
    }
}

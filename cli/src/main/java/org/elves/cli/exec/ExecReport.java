package org.elves.cli.exec;

import java.util.List;

/** How an exec tells its user what happened; one implementation per output mode. */
interface ExecReport {
    /** One host finished; called as results arrive, never concurrently. */
    void onResult(HostResult result);

    /** All hosts finished; results in the order the hosts were given. */
    void finish(List<HostResult> results);
}

package org.elves.agent.runner;

import java.util.List;
import java.util.stream.Collectors;

/** Kills a worker with everything it started, so a timed-out app leaves nothing behind. */
final class ProcessTree {
    /** A worker that forks while being killed gets a few more sweeps, not an endless loop. */
    private static final int SWEEPS = 5;

    private ProcessTree() {
    }

    static void kill(Process process) {
        kill(process.toHandle());
    }

    /** Also for a worker that is not this JVM's child (one adopted after a restart). */
    static void kill(ProcessHandle process) {
        // descendants before the worker: once a parent dies its children are re-parented to init
        // and no longer reachable from here; a live parent may fork again, hence the sweeps
        for (int i = 0; i < SWEEPS; i++) {
            List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
            if (descendants.isEmpty()) {
                break;
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly();
    }
}

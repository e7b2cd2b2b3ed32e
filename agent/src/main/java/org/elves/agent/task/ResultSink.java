package org.elves.agent.task;

import org.elves.protocol.thrift.Reinstruct;

/** Where the results of async tasks go: the scheduler (which also delivers them to the app's processor in mode P). */
@FunctionalInterface
public interface ResultSink {
    /**
     * Takes a result (a fresh one, or the remembered one of a repeated id). Returns once the result
     * is delivered or kept durably for delivery; may block for one delivery attempt. Never throws.
     */
    void deliver(Reinstruct reins);
}

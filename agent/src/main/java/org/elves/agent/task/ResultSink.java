package org.elves.agent.task;

import org.elves.protocol.thrift.Reinstruct;

/** Where the answers of the center's async instructs go: the scheduler (which also delivers them to the app's processor in mode P). */
public interface ResultSink {
    /** A worker run just finished. Must not block for long: it runs on an async worker thread. */
    void taskFinished(Reinstruct reins);

    /** The center sent an id again that already finished here: deliver the remembered answer again. */
    void taskRepeated(Reinstruct reins);
}

package org.elves.agent.runner;

/** The call cannot be started at all; the message is the Reinstruct result text. */
final class WorkerRejected extends Exception {
    WorkerRejected(String message) {
        super(message, null, false, false);
    }
}

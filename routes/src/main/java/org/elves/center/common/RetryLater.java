package org.elves.center.common;

/**
 * Thrown by a handler that cannot do its work now for a reason that is not the message's fault
 * (the broker or a component it needs is unavailable): the inbox requeues the message after a
 * pause instead of recording a failure.
 */
public class RetryLater extends RuntimeException {
    public RetryLater(String message) {
        super(message);
    }
}

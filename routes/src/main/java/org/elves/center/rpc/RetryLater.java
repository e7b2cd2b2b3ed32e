package org.elves.center.rpc;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.Map;

/**
 * A handler's "not now, retry me later": thrown from the handler of an rpc.cast, its inbox message
 * goes back on the queue (after {@code elves.mq.requeue-delay-ms}) and is handled again, rather
 * than acknowledged and gone. The handler of an rpc.call cannot be retried that way (its caller is
 * waiting): the caller gets the code as the answer, [503.2] unless another is given.
 *
 * <p>rpc-serve treats an {@link ElvesException} of an infrastructure code ([503.2] broker
 * unavailable, [500.1] another component did not answer) thrown by a cast's handler the same way;
 * {@link #onInfrastructureFailure} turns such a failed rpc.call answer into this exception.
 */
public class RetryLater extends ElvesException {

    public RetryLater(String reason) {
        this(ErrorCode.BROKER_UNAVAILABLE, reason);
    }

    public RetryLater(ErrorCode code, String reason) {
        super(code, reason);
    }

    /** Whether a failure with this code is the infrastructure's (retry later), not the request's. */
    public static boolean isInfrastructure(ErrorCode code) {
        return code == ErrorCode.BROKER_UNAVAILABLE || code == ErrorCode.COMPONENT_TIMEOUT;
    }

    /**
     * For a route step after {@code direct:rpc-call}: throws RetryLater when the answer is a
     * [503.2] or [500.1] failure (the broker or the callee was not there), else leaves it as is.
     */
    public static void onInfrastructureFailure(Map<String, Object> reply) {
        if (reply == null || Replies.isOk(reply)) {
            return;
        }
        String error = String.valueOf(reply.get("error"));
        ErrorCode code = ErrorCode.ofText(error);
        if (isInfrastructure(code)) {
            String detailed = code.text() + ": ";
            throw new RetryLater(code, error.startsWith(detailed) ? error.substring(detailed.length()) : null);
        }
    }
}

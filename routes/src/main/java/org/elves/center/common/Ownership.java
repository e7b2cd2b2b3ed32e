package org.elves.center.common;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.Map;

/**
 * Who may act on a queue or a cron by its id: the key that created it, or an admin key (closes
 * the reference's G11, where any valid key could commit, stop or read anybody's queue or cron).
 * OpenAPI puts the caller in the body ({@link #CALLER}, {@link #CALLER_ADMIN}); a body without a
 * caller comes from inside the center and is not checked.
 */
public final class Ownership {
    public static final String CALLER = "caller";
    public static final String CALLER_ADMIN = "caller_admin";

    private Ownership() {
    }

    /** @throws ElvesException 401.6 when the caller is another key than the owner and no admin */
    public static void check(String owner, Map<String, Object> body, String what) {
        String caller = JobParams.text(body.get(CALLER));
        boolean admin = "true".equals(JobParams.text(body.get(CALLER_ADMIN)));
        if (!caller.isEmpty() && !admin && owner != null && !owner.isEmpty() && !owner.equals(caller)) {
            throw new ElvesException(ErrorCode.PERMISSION_DENIED, what + " belongs to another auth_id");
        }
    }

    /** The caller of a body OpenAPI builds: its key's id and whether it is an admin key. */
    public static void put(Map<String, Object> body, String authId, boolean admin) {
        body.put(CALLER, authId);
        body.put(CALLER_ADMIN, String.valueOf(admin));
    }
}

package org.elves.center.contract;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.elves.center.common.JobParams.text;

/**
 * What an agent is told about its agent-side crons, {version, crons:[{id, app, func, param,
 * timeout, proxy, mode, rule, timezone}]}: made by Cron, pushed by the Scheduler
 * (AgentService.cronSync), carried by heartbeat answers. The version is a digest of the list, so
 * every Cron instance gives the same crons the same version, an agent can tell a list it holds
 * already, and a Heartbeat that never heard of an agent's crons answers the very version of
 * {@link #empty()}.
 */
public record AgentCronList(String version, List<Map<String, Object>> crons) {
    private static final AgentCronList EMPTY = of(List.of());

    /** The list of these entries, versioned by their digest. */
    public static AgentCronList of(List<Map<String, Object>> crons) {
        return new AgentCronList(digest(Json.text(crons)), crons);
    }

    /** The list of an agent without agent-side crons: it must drop any it still runs. */
    public static AgentCronList empty() {
        return EMPTY;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("version", version);
        list.put("crons", crons);
        return list;
    }

    /**
     * @throws ElvesException [400.1] without a version or a crons list: an agent could not tell it
     *                        from the list it holds
     */
    @SuppressWarnings("unchecked")
    public static AgentCronList fromMap(Map<String, Object> body) {
        String version = text(body.get("version"));
        if (version.isEmpty() || !(body.get("crons") instanceof List<?> crons)) {
            throw new ElvesException(ErrorCode.REQUEST_MALFORMED, "an agent cron list needs a version and crons");
        }
        return new AgentCronList(version, (List<Map<String, Object>>) crons);
    }

    private static String digest(String text) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

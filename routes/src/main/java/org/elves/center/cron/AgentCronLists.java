package org.elves.center.cron;

import org.bson.Document;
import org.elves.protocol.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an agent is told about its agent-side crons: {"version", "crons":[{id, app, func, param,
 * timeout, proxy, mode, rule, timezone}]}, the argument of AgentService.cronSync and the "crons"
 * of a heartbeat answer. The version is a digest of the list, so the same crons give the same
 * version on every Cron instance and an agent can tell a list it holds already.
 */
public final class AgentCronLists {
    private static final List<String> FIELDS = List.of("app", "func", "param", "timeout", "proxy", "mode", "rule", "timezone");

    private AgentCronLists() {
    }

    /** The list of one agent, from its started agent-side crons. */
    public static Map<String, Object> list(List<Document> crons) {
        List<Map<String, Object>> entries = new ArrayList<>();
        crons.stream().sorted(Comparator.comparing(c -> c.getString("_id"))).forEach(cron -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", cron.getString("_id"));
            for (String field : FIELDS) {
                entry.put(field, cron.get(field));
            }
            entries.add(entry);
        });
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("version", digest(Json.text(entries)));
        list.put("crons", entries);
        return list;
    }

    /** Every agent's list, by ip. */
    public static Map<String, Object> table(List<Document> crons) {
        Map<String, List<Document>> byIp = new TreeMap<>();
        for (Document cron : crons) {
            byIp.computeIfAbsent(cron.getString("ip"), ip -> new ArrayList<>()).add(cron);
        }
        Map<String, Object> table = new LinkedHashMap<>();
        byIp.forEach((ip, list) -> table.put(ip, list(list)));
        return table;
    }

    /** The list of an agent without agent-side crons: it must drop any it still runs. */
    public static Map<String, Object> empty() {
        return list(List.of());
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

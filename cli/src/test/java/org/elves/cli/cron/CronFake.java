package org.elves.cli.cron;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elves.cli.FakeOpenApi.Reply;
import org.elves.cli.FakeOpenApi.Route;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.elves.protocol.TaskIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The cron endpoints of docs/api.md with their state in memory, for {@link org.elves.cli.FakeOpenApi}. */
final class CronFake implements Route {
    private final Map<String, ObjectNode> crons = new LinkedHashMap<>();

    @Override
    public synchronized Reply answer(String path, Map<String, String> p) {
        return switch (path) {
            case "/api/v2/cron/add" -> add(p);
            case "/api/v2/cron/start" -> flag(p, 1);
            case "/api/v2/cron/stop" -> flag(p, 0);
            case "/api/v2/cron/delete" -> delete(p);
            case "/api/v2/cron/detail", "/api/v2/cron/info" -> detail(p);
            case "/api/v2/cron/list" -> list(p);
            default -> null;
        };
    }

    private Reply add(Map<String, String> p) {
        if (p.getOrDefault("rule", "").isBlank()) {
            return Reply.error(ErrorCode.PARAM_CRON_RULE);
        }
        String id = TaskIds.next();
        ObjectNode c = Json.MAPPER.createObjectNode().put("id", id);
        for (String f : List.of("ip", "app", "func", "param", "mode", "proxy", "rule", "timezone", "side")) {
            c.put(f, p.getOrDefault(f, ""));
        }
        c.put("timeout", Integer.parseInt(p.getOrDefault("timeout", "90")));
        c.put("cron_flag", 1);
        c.put("next_fire_time", "2030-01-01 00:00:05");
        c.put("last_exec_time", "");
        crons.put(id, c);
        return Reply.ok(Json.MAPPER.createObjectNode().put("id", id));
    }

    private Reply flag(Map<String, String> p, int flag) {
        ObjectNode c = crons.get(p.getOrDefault("cron_id", ""));
        if (c == null) {
            return Reply.error(ErrorCode.CRON_NOT_FOUND);
        }
        c.put("cron_flag", flag);
        return Reply.ok(null);
    }

    private Reply delete(Map<String, String> p) {
        return crons.remove(p.getOrDefault("cron_id", "")) == null ? Reply.error(ErrorCode.CRON_NOT_FOUND) : Reply.ok(null);
    }

    private Reply detail(Map<String, String> p) {
        ObjectNode c = crons.get(p.getOrDefault("cron_id", ""));
        return c == null ? Reply.error(ErrorCode.CRON_NOT_FOUND) : Reply.ok(c);
    }

    private Reply list(Map<String, String> p) {
        List<ObjectNode> mine = new ArrayList<>();
        for (ObjectNode c : crons.values()) {
            if (c.path("ip").asText().equals(p.get("ip"))) {
                mine.add(0, c);  // newest first
            }
        }
        ArrayNode result = Json.MAPPER.createArrayNode();
        mine.forEach(result::add);
        return Reply.ok(result);
    }
}

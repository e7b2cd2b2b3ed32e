package org.elves.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elves.cli.FakeOpenApi.Reply;
import org.elves.cli.FakeOpenApi.Route;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Supervisor's admin endpoints (apps and keys) with their state in memory, for {@link FakeOpenApi}. */
public final class AdminFake implements Route {
    public static final String TIME = "2030-01-01 00:00:00";
    private final Map<String, ObjectNode> apps = new LinkedHashMap<>();
    private final Map<String, ObjectNode> keys = new LinkedHashMap<>();
    private int nextKey = 100;

    @Override
    public synchronized Reply answer(String path, Map<String, String> p) {
        return switch (path) {
            case "/api/v2/admin/app/create" -> createApp(p);
            case "/api/v2/admin/app/upload" -> upload(p);
            case "/api/v2/admin/app/online" -> online(p);
            case "/api/v2/admin/app/deploy" -> deploy(p);
            case "/api/v2/admin/app/list" -> Reply.ok(array(apps.values()));
            case "/api/v2/admin/app/status" -> status(p);
            case "/api/v2/admin/key/create" -> createKey(p);
            case "/api/v2/admin/key/grant" -> grant(p);
            case "/api/v2/admin/key/revoke" -> revoke(p);
            case "/api/v2/admin/key/rotate" -> rotate(p);
            case "/api/v2/admin/key/list" -> Reply.ok(array(keys.values()));
            default -> null;
        };
    }

    private Reply createApp(Map<String, String> p) {
        String app = p.getOrDefault("app", "");
        if (!app.matches("[a-z0-9-]+") || apps.containsKey(app)) {
            return Reply.error(ErrorCode.PARAM_APP);
        }
        ObjectNode a = Json.MAPPER.createObjectNode().put("app", app).put("name", p.getOrDefault("name", ""))
                .put("processor", p.getOrDefault("processor", "")).put("online_version", "");
        a.putArray("agents");
        a.putArray("versions");
        a.put("create_time", TIME).put("update_time", TIME);
        apps.put(app, a);
        return Reply.ok(Json.MAPPER.createObjectNode().put("app", app));
    }

    private Reply upload(Map<String, String> p) {
        ObjectNode a = apps.get(p.getOrDefault("app", ""));
        if (a == null) {
            return Reply.error(ErrorCode.APP_NOT_FOUND);
        }
        ObjectNode v = ((ArrayNode) a.get("versions")).addObject().put("version", p.get("version"))
                .put("sha256", p.get("sha256")).put("size", 0).put("upload_time", TIME);
        return Reply.ok(v.deepCopy().put("app", a.get("app").asText()));
    }

    private Reply online(Map<String, String> p) {
        ObjectNode a = apps.get(p.getOrDefault("app", ""));
        if (a == null) {
            return Reply.error(ErrorCode.APP_NOT_FOUND);
        }
        boolean known = false;
        for (var v : a.get("versions")) {
            known |= v.get("version").asText().equals(p.get("version"));
        }
        if (!known) {
            return Reply.error(ErrorCode.PARAM_PARAM);
        }
        a.put("online_version", p.get("version"));
        return Reply.ok(Json.MAPPER.createObjectNode().put("app", a.get("app").asText()).put("version", p.get("version")));
    }

    private Reply deploy(Map<String, String> p) {
        ObjectNode a = apps.get(p.getOrDefault("app", ""));
        if (a == null) {
            return Reply.error(ErrorCode.APP_NOT_FOUND);
        }
        ArrayNode agents = a.putArray("agents");
        Arrays.stream(p.getOrDefault("agents", "").split(",")).forEach(agents::add);
        ObjectNode r = Json.MAPPER.createObjectNode().put("app", a.get("app").asText());
        r.set("agents", agents.deepCopy());
        return Reply.ok(r);
    }

    private Reply status(Map<String, String> p) {
        ObjectNode a = apps.get(p.getOrDefault("app", ""));
        if (a == null) {
            return Reply.error(ErrorCode.APP_NOT_FOUND);
        }
        ArrayNode result = Json.MAPPER.createArrayNode();
        String wanted = a.get("online_version").asText();
        int i = 0;
        for (var ip : a.get("agents")) {
            boolean failed = i++ % 2 == 1;
            result.addObject().put("ip", ip.asText()).put("wanted", wanted).put("installed", failed ? "" : wanted)
                    .put("state", failed ? "failed" : "installed").put("error", failed ? "sha256 mismatch\nsecond" : "")
                    .put("last_hb_time", TIME);
        }
        return Reply.ok(result);
    }

    private Reply createKey(Map<String, String> p) {
        String id = "k" + nextKey++;
        ObjectNode k = Json.MAPPER.createObjectNode().put("auth_id", id).put("name", p.getOrDefault("name", ""))
                .put("admin", Boolean.parseBoolean(p.get("admin")))
                .put("strong_only", Boolean.parseBoolean(p.get("strong_only")));
        k.putObject("grants");
        k.put("create_time", TIME).put("rotate_time", "");
        keys.put(id, k);
        return Reply.ok(Json.MAPPER.createObjectNode().put("auth_id", id).put("key", "secret-of-" + id));
    }

    private Reply grant(Map<String, String> p) {
        ObjectNode k = keys.get(p.getOrDefault("key_id", ""));
        if (k == null) {
            return Reply.error(ErrorCode.AUTH_ID_NOT_FOUND);
        }
        if (!apps.containsKey(p.getOrDefault("app", ""))) {
            return Reply.error(ErrorCode.APP_NOT_FOUND);
        }
        ArrayNode ips = ((ObjectNode) k.get("grants")).putArray(p.get("app"));
        Arrays.stream(p.getOrDefault("agents", "").split(",")).forEach(ips::add);
        return Reply.ok(grants(k));
    }

    private Reply revoke(Map<String, String> p) {
        ObjectNode k = keys.get(p.getOrDefault("key_id", ""));
        if (k == null) {
            return Reply.error(ErrorCode.AUTH_ID_NOT_FOUND);
        }
        if (!p.containsKey("app")) {
            keys.remove(k.get("auth_id").asText());
            return Reply.ok(Json.MAPPER.createObjectNode().put("auth_id", k.get("auth_id").asText()).put("deleted", true));
        }
        ((ObjectNode) k.get("grants")).remove(p.get("app"));
        return Reply.ok(grants(k));
    }

    private Reply rotate(Map<String, String> p) {
        ObjectNode k = keys.get(p.getOrDefault("key_id", ""));
        if (k == null) {
            return Reply.error(ErrorCode.AUTH_ID_NOT_FOUND);
        }
        k.put("rotate_time", TIME);
        String id = k.get("auth_id").asText();
        return Reply.ok(Json.MAPPER.createObjectNode().put("auth_id", id).put("key", "rotated-" + id));
    }

    private static ObjectNode grants(ObjectNode key) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("auth_id", key.get("auth_id").asText());
        r.set("grants", key.get("grants").deepCopy());
        return r;
    }

    private static ArrayNode array(Iterable<ObjectNode> items) {
        ArrayNode result = Json.MAPPER.createArrayNode();
        List<ObjectNode> copy = new ArrayList<>();
        items.forEach(i -> copy.add(i.deepCopy()));
        copy.forEach(result::add);
        return result;
    }
}

package org.elves.center.supervisor;

import org.bson.Document;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.elves.center.common.JobParams.text;

/** Reading the Supervisor's app and key records; a missing one is the caller's coded error. */
final class SupervisorRecords {
    private SupervisorRecords() {
    }

    static Document existingApp(SupervisorStore store, String app) {
        Document doc = store.app(app);
        if (doc == null) {
            throw new ElvesException(ErrorCode.APP_NOT_FOUND, app);
        }
        return doc;
    }

    /** The key named by the body's auth_id. */
    static Document existingKey(SupervisorStore store, Map<String, Object> body) {
        String authId = text(body.get("auth_id"));
        Document key = authId.isEmpty() ? null : store.key(authId);
        if (key == null) {
            throw new ElvesException(ErrorCode.AUTH_ID_NOT_FOUND, authId);
        }
        return key;
    }

    /** A key's grants: app to its agent entries, as stored (categories unresolved). */
    @SuppressWarnings("unchecked")
    static Map<String, List<String>> grants(Document key) {
        Map<String, List<String>> grants = new LinkedHashMap<>();
        Object g = key.get("grants");
        if (g instanceof Map<?, ?> map) {
            map.forEach((app, agents) -> grants.put(String.valueOf(app), new ArrayList<>((List<String>) agents)));
        }
        return grants;
    }

    /** An app's uploaded versions, oldest first. */
    @SuppressWarnings("unchecked")
    static List<Document> versions(Document app) {
        Object v = app.get("versions");
        return v instanceof List<?> list ? (List<Document>) list : List.of();
    }

    static boolean hasOnlineVersion(Document app) {
        String online = app.getString("online_version");
        return online != null && !online.isEmpty();
    }
}

package org.elves.center.example.notes;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.elves.center.rpc.Replies;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.TaskIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The worked example of docs/decisions.md 20: operators leave notes on agents. One public method
 * per function the component serves; the state is in MongoDB, so two instances answer alike.
 */
public class NotesService {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private final MongoCollection<Document> notes;
    private final ElvesConfig config;

    public NotesService(MongoClient mongo, String database, ElvesConfig config) {
        this.notes = mongo.getDatabase(database).getCollection("notes");
        this.config = config;
    }

    /** addNote {ip, text, actor}: the note's id. */
    public Map<String, Object> addNote(Map<String, Object> body) {
        String ip = ip(body);
        String text = String.valueOf(body.getOrDefault("text", "")).trim();
        int max = config.requireInt("elves.notes.max-length");
        if (text.isEmpty() || text.length() > max) {
            throw new ElvesException(ErrorCode.PARAM_PARAM, "a note has 1 to " + max + " characters");
        }
        String id = TaskIds.next();
        notes.insertOne(new Document("_id", id).append("ip", ip).append("text", text)
                .append("actor", String.valueOf(body.getOrDefault("actor", ""))).append("time", System.currentTimeMillis())
                // notes of one millisecond in the order they came (an ObjectId grows within a process)
                .append("order", new ObjectId()));
        return Replies.ok(Map.of("id", id));
    }

    /** agentNotes {ip}: its notes, newest first. */
    public Map<String, Object> agentNotes(Map<String, Object> body) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Document note : notes.find(Filters.eq("ip", ip(body))).sort(Sorts.descending("time", "order"))) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", note.getString("_id"));
            entry.put("text", note.getString("text"));
            entry.put("actor", note.getString("actor"));
            list.add(entry);
        }
        return Replies.ok(list);
    }

    private static String ip(Map<String, Object> body) {
        String ip = String.valueOf(body.getOrDefault("ip", ""));
        if (!IPV4.matcher(ip).matches()) {
            throw new ElvesException(ErrorCode.PARAM_IP, "not an IPv4 address: " + ip);
        }
        return ip;
    }
}

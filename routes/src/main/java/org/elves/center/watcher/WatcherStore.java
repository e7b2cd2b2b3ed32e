package org.elves.center.watcher;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.eq;

/**
 * The Watcher's MongoDB: {@code watch_messages} (a copy of every rpc message), {@code task_logs}
 * (one record per task) and {@code task_output} (a task's streamed output). Writes come in
 * batches from the tap; reads are the logs API's queries. On a real MongoDB the indexes below
 * answer every filter of the logs API; the embedded mongo-java-server scans (it keeps only unique
 * indexes), which the retention bounds.
 */
public class WatcherStore {
    private final MongoCollection<Document> messages;
    private final MongoCollection<Document> logs;
    private final MongoCollection<Document> outputs;
    private final TaskOutputs taskOutputs;

    public WatcherStore(MongoClient mongo, String database, int headBytes, int tailBytes) {
        this.messages = mongo.getDatabase(database).getCollection("watch_messages");
        this.logs = mongo.getDatabase(database).getCollection("task_logs");
        this.outputs = mongo.getDatabase(database).getCollection("task_output");
        this.taskOutputs = new TaskOutputs(outputs, headBytes, tailBytes);
    }

    public void ensureIndexes() {
        messages.createIndex(Indexes.ascending("time"));
        messages.createIndex(Indexes.ascending("task_id"));
        logs.createIndex(Indexes.ascending("type", "starttime"));
        logs.createIndex(Indexes.ascending("type", "agent_ip", "starttime"));
        logs.createIndex(Indexes.ascending("type", "instruct", "func", "starttime"));
        logs.createIndex(Indexes.ascending("type", "auth_id", "starttime"));
        logs.createIndex(Indexes.ascending("starttime"));
        outputs.createIndex(Indexes.ascending("time"));
    }

    /** One batch of the tap: the message copies (a copy stored before is skipped), the log updates in order, the outputs. */
    void write(List<Document> messageCopies, List<UpdateOneModel<Document>> logUpdates,
               Map<String, List<Map<String, Object>>> outputsByTask) {
        if (!messageCopies.isEmpty()) {
            try {
                messages.insertMany(messageCopies, new InsertManyOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                boolean onlyRepeats = e.getWriteErrors().stream()
                        .allMatch(w -> ErrorCategory.fromErrorCode(w.getCode()) == ErrorCategory.DUPLICATE_KEY);
                if (!onlyRepeats) {
                    throw e;
                }
            }
        }
        if (!logUpdates.isEmpty()) {
            logs.bulkWrite(logUpdates, new BulkWriteOptions().ordered(true));
        }
        taskOutputs.recordAll(outputsByTask);
    }

    /** One page of task records, newest (or oldest) first, and how many match in all. */
    Page find(LogFilter filter, boolean ascending, int count, int page) {
        var bson = filter.toBson();
        long total = logs.countDocuments(bson);
        List<Document> found = logs.find(bson)
                .sort(ascending ? Sorts.ascending("starttime") : Sorts.descending("starttime"))
                .skip((page - 1) * count).limit(count).into(new ArrayList<>());
        return new Page(found, total);
    }

    record Page(List<Document> logs, long total) {
    }

    Document log(String taskId) {
        return logs.find(eq("_id", taskId)).first();
    }

    Document output(String taskId) {
        return outputs.find(eq("_id", taskId)).first();
    }

    /** Forgets what is older than {@code before}: messages, task records (by start), outputs. */
    long forgetBefore(Date before) {
        return messages.deleteMany(Filters.lt("time", before)).getDeletedCount()
                + logs.deleteMany(Filters.lt("last_at", before)).getDeletedCount()
                + outputs.deleteMany(Filters.lt("time", before)).getDeletedCount();
    }

    /** Messages recorded (the benchmark's count). */
    public long messageCount() {
        return messages.countDocuments();
    }
}

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

    /** One batch of the tap: the message copies (a copy stored before is skipped), the task records' changes, the outputs. */
    void write(List<Document> messageCopies, List<TaskLogUpdates.Change> logChanges,
               Map<String, List<Map<String, Object>>> outputsByTask) {
        insertNew(messages, messageCopies);
        if (!logChanges.isEmpty()) {
            // a new record is one insert; an upsert of its ~20 operators cost the embedded store
            // several times that, and most tasks' events all come in one batch
            List<Integer> recorded = insertNew(logs, logChanges.stream().map(TaskLogUpdates.Change::asNew).toList());
            if (!recorded.isEmpty()) {
                logs.bulkWrite(recorded.stream().map(i -> logChanges.get(i).upsert()).toList(),
                        new BulkWriteOptions().ordered(true));
            }
        }
        taskOutputs.recordAll(outputsByTask);
    }

    /** Inserts each document whose {@code _id} is new; the positions of those recorded already. */
    private static List<Integer> insertNew(MongoCollection<Document> collection, List<Document> documents) {
        if (documents.isEmpty()) {
            return List.of();
        }
        try {
            collection.insertMany(documents, new InsertManyOptions().ordered(false));
            return List.of();
        } catch (MongoBulkWriteException e) {
            List<Integer> repeats = new ArrayList<>();
            for (var error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                repeats.add(error.getIndex());
            }
            return repeats;
        }
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

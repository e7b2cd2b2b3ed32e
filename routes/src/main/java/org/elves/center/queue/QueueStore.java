package org.elves.center.queue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

/**
 * Queue and task state in MongoDB (collections {@code queues} and {@code queue_tasks}). Every
 * state change is one update conditioned on the current state, so concurrent handlers, several
 * Queue instances or a result that arrives twice can never move a task into two terminal states.
 */
public class QueueStore {
    // statuses on the wire, spelled as the reference (pendding)
    public static final String PENDDING = "pendding";
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";
    /** queue only: every task is terminal (our addition; the original has no final queue state). */
    public static final String FINISHED = "finished";
    /** task only: the worker's result (or a failure) was recorded. */
    public static final String FINISH = "finish";
    /** task only: never run because a task it depends on did not succeed (our addition, G16). */
    public static final String SKIPPED = "skipped";

    private final MongoCollection<Document> queues;
    private final MongoCollection<Document> tasks;

    public QueueStore(MongoClient client, String database) {
        this.queues = client.getDatabase(database).getCollection("queues");
        this.tasks = client.getDatabase(database).getCollection("queue_tasks");
    }

    /** The lookups every handler makes; mongo-java-server ignores them, a real MongoDB needs them. */
    public void ensureIndexes() {
        tasks.createIndex(Indexes.ascending("queue_id", "depend_task_id"));
        tasks.createIndex(Indexes.ascending("ip", "status", "ready"));
        
    }

    Document queue(String id) {
        return queues.find(eq("_id", id)).first();
    }

    void insertQueue(Document queue) {
        queues.insertOne(queue);
    }

    Document task(String id) {
        return tasks.find(eq("_id", id)).first();
    }

    Document taskOf(String queueId, String taskId) {
        return tasks.find(and(eq("_id", taskId), eq("queue_id", queueId))).first();
    }

    void insertTask(Document task) {
        tasks.insertOne(task);
    }

    void deleteTask(String id) {
        tasks.deleteOne(eq("_id", id));
    }

    List<Document> tasksOf(String queueId) {
        return tasks.find(eq("queue_id", queueId)).sort(Sorts.ascending("create_time")).into(new ArrayList<>());
    }

    long countTasks(String queueId) {
        return tasks.countDocuments(eq("queue_id", queueId));
    }

    long countOpenTasks(String queueId) {
        return tasks.countDocuments(and(eq("queue_id", queueId), in("status", PENDDING, RUNNING)));
    }

    /** Moves the queue from one of {@code from} to {@code to}; false when it was in none of them. */
    boolean moveQueue(String id, List<String> from, String to, String timeField, long now) {
        return queues.updateOne(and(eq("_id", id), in("status", from)),
                Updates.combine(Updates.set("status", to), Updates.set(timeField, now))).getModifiedCount() == 1;
    }

    /** Marks the pendding tasks matching {@code filter} of a queue ready to be sent. */
    void makeReady(String queueId, Bson filter, long now) {
        tasks.updateMany(and(eq("queue_id", queueId), eq("status", PENDDING), filter),
                Updates.combine(Updates.set("ready", true), Updates.set("ready_time", now)));
    }

    List<String> readyIps(Bson filter) {
        return tasks.distinct("ip", and(eq("status", PENDDING), eq("ready", true), filter), String.class)
                .into(new ArrayList<>());
    }

    long countRunning(String ip) {
        return tasks.countDocuments(and(eq("ip", ip), eq("status", RUNNING)));
    }

    /** Claims the agent's longest-waiting ready task for sending; null when none waits. */
    Document claimReady(String ip, long now) {
        return tasks.findOneAndUpdate(and(eq("ip", ip), eq("status", PENDDING), eq("ready", true)),
                Updates.combine(Updates.set("status", RUNNING), Updates.set("sent_time", now)),
                new FindOneAndUpdateOptions().sort(Sorts.ascending("ready_time")).returnDocument(ReturnDocument.AFTER));
    }

    /** Records a running task's result; false when the task is not running (a repeat, or timed out already). */
    boolean finish(String id, Document result) {
        List<Bson> sets = new ArrayList<>();
        sets.add(Updates.set("status", FINISH));
        result.forEach((k, v) -> sets.add(Updates.set(k, v)));
        return tasks.updateOne(and(eq("_id", id), eq("status", RUNNING)), Updates.combine(sets)).getModifiedCount() == 1;
    }

    /** Records a mode-P task's processor outcome once; false when the task is unknown or has one already. */
    boolean processorResult(String id, Document processor) {
        List<Bson> sets = new ArrayList<>();
        processor.forEach((k, v) -> sets.add(Updates.set(k, v)));
        return tasks.updateOne(and(eq("_id", id), eq("processor_flag", null)), Updates.combine(sets)).getModifiedCount() == 1;
    }

    List<Document> penddingChildren(String queueId, String parentId) {
        return tasks.find(and(eq("queue_id", queueId), eq("depend_task_id", parentId), eq("status", PENDDING)))
                .into(new ArrayList<>());
    }

    /** Ends a task that was never sent; false when it is no longer pendding. */
    boolean endPendding(String id, String status, String error, long now) {
        return tasks.updateOne(and(eq("_id", id), eq("status", PENDDING)), Updates.combine(
                Updates.set("status", status), Updates.set("flag", "false"), Updates.set("error", error),
                Updates.set("exec_finish_time", now))).getModifiedCount() == 1;
    }

    void stopPendding(String queueId, String error, long now) {
        tasks.updateMany(and(eq("queue_id", queueId), eq("status", PENDDING)), Updates.combine(
                Updates.set("status", STOPPED), Updates.set("flag", "false"), Updates.set("error", error),
                Updates.set("exec_finish_time", now)));
    }

    /** Notes that a running task was sent again; false when it is no longer running. */
    boolean markResent(String id, long now) {
        return tasks.updateOne(and(eq("_id", id), eq("status", RUNNING)), Updates.set("resent_time", now))
                .getModifiedCount() == 1;
    }

    /** Ids of the committed queues not finished yet. */
    List<String> runningQueues() {
        return queues.distinct("_id", eq("status", RUNNING), String.class).into(new ArrayList<>());
    }

    /** A queue's tasks waiting for their parent (pendding, not ready). */
    List<Document> blocked(String queueId) {
        return tasks.find(and(eq("queue_id", queueId), eq("status", PENDDING), eq("ready", false))).into(new ArrayList<>());
    }

    /** Every sent task without a result: few (bounded by the per-agent concurrency), so read them all. */
    List<Document> running() {
        return tasks.find(eq("status", RUNNING)).into(new ArrayList<>());
    }
}

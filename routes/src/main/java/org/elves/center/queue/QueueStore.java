package org.elves.center.queue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.in;

/**
 * Queue and task state in MongoDB (collections {@code queues} and {@code queue_tasks}). Every
 * state change is one update conditioned on the current state, so concurrent handlers, several
 * Queue instances or a result that arrives twice can never move a task into two terminal states.
 * <p>
 * The hot path (a result: record it, free the agent's slot, release the dependents, claim the
 * next tasks, notice the queue's end) reads and writes documents by {@code _id} only, so it costs
 * the same on the embedded mongo-java-server (no secondary indexes: any other query scans the
 * collection) as on a real MongoDB: a task lists its {@code children}; a queue keeps the number of
 * its {@code open} tasks; collection {@code queue_agents} holds per agent ({@code _id} = ip) the
 * ids of its tasks ready to be sent ({@code ready}, oldest first) and of those holding one of its
 * slots ({@code running}). Conditional task updates filter on {@code _id} and {@code status},
 * which the unique index {@code _id_status} answers on both servers. The lists and the counter
 * are kept idempotently ($addToSet/$pull of ids) and repaired by the sweep (decisions.md 13).
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
    /**
     * Stored-data compatibility: before issue 12 a task whose parent did not succeed was stored
     * with this status, a word original clients do not know. Such tasks are now stored
     * {@link #STOPPED} with {@link #SKIPPED_MARK} "true" (G16); documents stored before still say
     * {@code skipped} and are answered in the new form ({@link #answeredStatus}, {@link #isSkipped}).
     */
    public static final String LEGACY_SKIPPED = "skipped";
    /** Task field (and /queue/result field) "true": stopped because a task it depends on did not succeed. */
    public static final String SKIPPED_MARK = "skipped";

    private final MongoCollection<Document> queues;
    private final MongoCollection<Document> tasks;
    private final MongoCollection<Document> agents;

    public QueueStore(MongoClient client, String database) {
        this.queues = client.getDatabase(database).getCollection("queues");
        this.tasks = client.getDatabase(database).getCollection("queue_tasks");
        this.agents = client.getDatabase(database).getCollection("queue_agents");
    }

    /** The lookups every handler makes; mongo-java-server ignores them, a real MongoDB needs them. */
    public void ensureIndexes() {
        tasks.createIndex(Indexes.ascending("queue_id", "depend_task_id"));
        tasks.createIndex(Indexes.ascending("ip", "status", "ready"));
        tasks.createIndex(Indexes.ascending("status"));
        // trivially unique (_id is); lets mongo-java-server answer {_id, status} without a scan
        tasks.createIndex(Indexes.ascending("_id", "status"), new IndexOptions().unique(true).name("_id_status"));
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
        Document task = task(taskId);
        return task != null && queueId.equals(task.getString("queue_id")) ? task : null;
    }

    /** Notes a child in its parent's {@code children} (before the child is inserted). */
    void addChild(String parentId, String childId) {
        tasks.updateOne(eq("_id", parentId), Updates.addToSet("children", childId));
    }

    void removeChild(String parentId, String childId) {
        tasks.updateOne(eq("_id", parentId), Updates.pull("children", childId));
    }

    /** Marks one pendding task ready; the task, or null when it is no longer pendding. */
    Document makeReady(String id, long now) {
        return tasks.findOneAndUpdate(and(eq("_id", id), eq("status", PENDDING)),
                Updates.combine(Updates.set("ready", true), Updates.set("ready_time", now)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    /** Sets the number of a committed queue's tasks not terminal yet. */
    void setOpen(String queueId, long open) {
        queues.updateOne(eq("_id", queueId), Updates.set("open", open));
    }

    /** One task of the queue ended; the number still open as counted (a hint: it may be too high). */
    long closeOne(String queueId) {
        Document q = queues.findOneAndUpdate(eq("_id", queueId), Updates.inc("open", -1L),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        Object open = q == null ? null : q.get("open");
        return open instanceof Number n ? n.longValue() : 0L;
    }

    // ---- per-agent lists (collection queue_agents, _id = ip) ----

    Document agent(String ip) {
        return agents.find(eq("_id", ip)).first();
    }

    List<Document> agents() {
        return agents.find().into(new ArrayList<>());
    }

    /** Appends ready tasks to their agent's queue (idempotent). */
    void enqueue(String ip, Collection<String> ids) {
        if (!ids.isEmpty()) {
            agents.updateOne(eq("_id", ip), Updates.addEachToSet("ready", new ArrayList<>(ids)),
                    new UpdateOptions().upsert(true));
        }
    }

    /**
     * Moves a ready id into one of the agent's slots, atomically and only while fewer than
     * {@code bound} are taken; false when another claim changed the document first.
     */
    boolean takeSlot(String ip, String id, int bound) {
        return agents.updateOne(and(eq("_id", ip), eq("ready", id), exists("running." + (bound - 1), false)),
                Updates.combine(Updates.pull("ready", id), Updates.addToSet("running", id))).getModifiedCount() == 1;
    }

    /** Frees the slot a task held (idempotent). */
    void releaseSlot(String ip, String id) {
        agents.updateOne(eq("_id", ip), Updates.pull("running", id));
    }

    /** Drops ids from the agent's ready list (idempotent). */
    void dropReady(String ip, List<String> ids) {
        agents.updateOne(eq("_id", ip), Updates.pullAll("ready", ids));
    }

    /** Marks a claimed task sent; the task, or null when it is no longer pendding. */
    Document markSent(String id, long now) {
        return tasks.findOneAndUpdate(and(eq("_id", id), eq("status", PENDDING)),
                Updates.combine(Updates.set("status", RUNNING), Updates.set("sent_time", now)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    /** Every task not terminal (sweep only: a scan on mongo-java-server), a few fields of each. */
    List<Document> openTasks() {
        return tasks.find(in("status", PENDDING, RUNNING))
                .projection(Projections.include("queue_id", "ip", "status", "ready", "create_time"))
                .sort(Sorts.ascending("create_time")).into(new ArrayList<>());
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

    /**
     * Ends a task that was never sent because a task it depends on did not succeed: stopped,
     * marked skipped; false when it is no longer pendding.
     */
    boolean skipPendding(String id, String error, long now) {
        return tasks.updateOne(and(eq("_id", id), eq("status", PENDDING)),
                Updates.combine(stopped(error, now), Updates.set(SKIPPED_MARK, "true"))).getModifiedCount() == 1;
    }

    void stopPendding(String queueId, String error, long now) {
        tasks.updateMany(and(eq("queue_id", queueId), eq("status", PENDDING)), stopped(error, now));
    }

    /** The fields of a task that ends {@code stopped} without having been sent. */
    private static Bson stopped(String error, long now) {
        return Updates.combine(Updates.set("status", STOPPED), Updates.set("flag", "false"),
                Updates.set("error", error), Updates.set("exec_finish_time", now));
    }

    /** The status a task is answered with: a legacy {@code skipped} one is {@code stopped}. */
    static String answeredStatus(Document task) {
        String status = task.getString("status");
        return LEGACY_SKIPPED.equals(status) ? STOPPED : status;
    }

    /** Whether the task ended because a task it depends on did not succeed (either stored form). */
    static boolean isSkipped(Document task) {
        return LEGACY_SKIPPED.equals(task.getString("status")) || "true".equals(task.get(SKIPPED_MARK));
    }

    /** Notes that a running task was sent again; false when it is no longer running. */
    boolean markResent(String id, long now) {
        return tasks.updateOne(and(eq("_id", id), eq("status", RUNNING)), Updates.set("resent_time", now))
                .getModifiedCount() == 1;
    }

    /**
     * Notes that a running task's agent could not be reached by a re-send: the first such time
     * stays ({@code unreachable_since}); false when the task is no longer running or was noted.
     */
    boolean markUnreachable(String id, long now) {
        return tasks.updateOne(and(eq("_id", id), eq("status", RUNNING), eq("unreachable_since", null)),
                Updates.set("unreachable_since", now)).getModifiedCount() == 1;
    }

    /** A re-send reached the task's agent again: the note goes; false when there was none. */
    boolean markReachable(String id) {
        return tasks.updateOne(and(eq("_id", id), eq("status", RUNNING), exists("unreachable_since")),
                Updates.unset("unreachable_since")).getModifiedCount() == 1;
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

package org.elves.center.watcher;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

/**
 * A task's output as the agent streamed it (collection {@code task_output}, {@code _id} = the task
 * id), bounded: the first {@code headBytes} are kept, then the last {@code tailBytes}; what falls
 * between is counted in {@code dropped_bytes}, never kept. Chunks are kept whole, so each end may
 * hold one chunk more than its bytes (an agent's chunk is at most 16 KiB). One document per task, read and written
 * by its id only (cheap on the embedded mongo-java-server too) and written conditionally on its
 * {@code rev}, so two Watchers taking chunks of one task never lose one (the loser reads again).
 * A chunk kept already (a redelivery) changes nothing.
 */
final class TaskOutputs {
    private static final int ATTEMPTS = 20;
    private final MongoCollection<Document> outputs;
    private final int headBytes;
    private final int tailBytes;

    TaskOutputs(MongoCollection<Document> outputs, int headBytes, int tailBytes) {
        this.outputs = outputs;
        this.headBytes = headBytes;
        this.tailBytes = tailBytes;
    }

    /**
     * Records the chunks of a batch's tasks (events {id, seq, stream, data, at, dropped?}). Most
     * tasks' chunks start with their first (a short worker's output is one chunk): their documents
     * do not exist yet and go in one insert for all, instead of a round trip each; a task whose
     * document exists after all (another Watcher's, a redelivery) is then merged into it.
     */
    void recordAll(Map<String, List<Map<String, Object>>> chunksByTask) {
        Map<String, List<Map<String, Object>>> rest = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> firstChunks = new LinkedHashMap<>();
        List<Document> firsts = new ArrayList<>();
        chunksByTask.forEach((taskId, chunks) -> {
            List<Map<String, Object>> ordered = ordered(chunks);
            if (!ordered.isEmpty() && number(ordered.get(0).get("seq")) == 1) {
                firsts.add(merge(fresh(taskId), ordered));
                firstChunks.put(taskId, ordered);
            } else {
                rest.put(taskId, ordered);
            }
        });
        if (!firsts.isEmpty()) {
            try {
                outputs.insertMany(firsts, new InsertManyOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                for (BulkWriteError error : e.getWriteErrors()) {
                    if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    String taskId = firsts.get(error.getIndex()).getString("_id");
                    rest.put(taskId, firstChunks.get(taskId));
                }
            }
        }
        rest.forEach(this::merged);
    }

    private static List<Map<String, Object>> ordered(List<Map<String, Object>> chunks) {
        List<Map<String, Object>> ordered = new ArrayList<>(chunks);
        ordered.sort(Comparator.comparingLong(c -> number(c.get("seq"))));
        return ordered;
    }

    /** Merges ordered chunks into the task's document as it is now, again if another writer came first. */
    private void merged(String taskId, List<Map<String, Object>> ordered) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Document current = outputs.find(eq("_id", taskId)).first();
            Document next = merge(current == null ? fresh(taskId) : current, ordered);
            if (next == null) {
                return;
            }
            if (write(current, next)) {
                return;
            }
        }
        throw new IllegalStateException("output of task " + taskId + " not recorded: written concurrently " + ATTEMPTS + " times");
    }

    private boolean write(Document current, Document next) {
        if (current == null) {
            try {
                outputs.insertOne(next);
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    return false;
                }
                throw e;
            }
        }
        return outputs.replaceOne(and(eq("_id", current.get("_id")), eq("rev", current.get("rev"))), next)
                .getMatchedCount() == 1;
    }

    private static Document fresh(String taskId) {
        return new Document("_id", taskId).append("rev", 0L).append("head", new ArrayList<Document>())
                .append("head_bytes", 0L).append("tail", new ArrayList<Document>()).append("tail_bytes", 0L)
                .append("total_bytes", 0L).append("dropped_bytes", 0L).append("last_seq", 0L);
    }

    /**
     * The document with the chunks added, or null when every chunk was recorded already. Chunks
     * may come out of order (two Watchers share the tap): each goes to its place by seq; one
     * already kept is skipped. (A repeat of a chunk that was cut from the middle is counted again:
     * the counts are then a little high, never the kept text wrong.)
     */
    @SuppressWarnings("unchecked")
    Document merge(Document doc, List<Map<String, Object>> chunks) {
        List<Document> head = new ArrayList<>((List<Document>) doc.get("head"));
        List<Document> tail = new ArrayList<>((List<Document>) doc.get("tail"));
        long lastSeq = number(doc.get("last_seq"));
        long headSize = number(doc.get("head_bytes"));
        long tailSize = number(doc.get("tail_bytes"));
        long total = number(doc.get("total_bytes"));
        long dropped = number(doc.get("dropped_bytes"));
        long latest = 0;
        boolean changed = false;
        for (Map<String, Object> c : chunks) {
            long seq = number(c.get("seq"));
            if (seq <= 0 || kept(head, seq) || kept(tail, seq)) {
                continue;
            }
            changed = true;
            lastSeq = Math.max(lastSeq, seq);
            String data = c.get("data") == null ? "" : String.valueOf(c.get("data"));
            long size = bytes(data);
            long at = number(c.get("at"));
            latest = Math.max(latest, at);
            total += size;
            dropped += number(c.get("dropped"));
            Document chunk = new Document("seq", seq).append("stream", String.valueOf(c.get("stream")))
                    .append("data", data).append("at", at);
            long tailStart = tail.isEmpty() ? Long.MAX_VALUE : number(tail.get(0).get("seq"));
            // the first chunk is kept whole even when larger than the head (at most one agent chunk, 16 KiB)
            if (seq < tailStart && (head.isEmpty() || headSize + size <= headBytes)) {
                insert(head, chunk);
                headSize += size;
                continue;
            }
            insert(tail, chunk);
            tailSize += size;
            while (tailSize > tailBytes && tail.size() > 1) {
                long goneSize = bytes(tail.remove(0).getString("data"));
                tailSize -= goneSize;
                dropped += goneSize;
            }
        }
        if (!changed) {
            return null;
        }
        return new Document("_id", doc.get("_id")).append("rev", number(doc.get("rev")) + 1).append("head", head)
                .append("head_bytes", headSize).append("tail", tail).append("tail_bytes", tailSize)
                .append("total_bytes", total).append("dropped_bytes", dropped).append("last_seq", lastSeq)
                .append("time", new Date(latest == 0 ? System.currentTimeMillis() : latest));
    }

    private static boolean kept(List<Document> chunks, long seq) {
        return chunks.stream().anyMatch(c -> number(c.get("seq")) == seq);
    }

    /** Into its place by seq (chunks mostly come in order: from the end). */
    private static void insert(List<Document> chunks, Document chunk) {
        long seq = number(chunk.get("seq"));
        int at = chunks.size();
        while (at > 0 && number(chunks.get(at - 1).get("seq")) > seq) {
            at--;
        }
        chunks.add(at, chunk);
    }

    private static long bytes(String data) {
        return data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }
}

package org.elves.center.openapi;

import org.elves.center.rpc.Replies;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server-sent events of /api/v2/logs/output, from the Watcher's answers to the wire. */
class LogStreamTest {

    private static Map<String, Object> answer(List<Long> seqs, Long truncatedAfter, boolean ended) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("known", true);
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (long seq : seqs) {
            Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("seq", seq);
            chunk.put("stream", "stdout");
            chunk.put("data", "c" + seq + "\n");
            chunk.put("time", "t");
            chunks.add(chunk);
        }
        result.put("chunks", chunks);
        if (truncatedAfter != null) {
            result.put("truncated_after_seq", truncatedAfter);
            result.put("tail_from_seq", 9L);
            result.put("dropped_bytes", 500);
        }
        if (ended) {
            result.put("end", new java.util.TreeMap<>(Map.of("result_flag", 1, "state", "succeeded", "worker_flag", 1)));
        }
        return Replies.ok(result);
    }

    private static String all(LogStream stream) throws IOException {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void chunksInOrderTheTruncationMarkOnceThenTheEndAfterOneMoreLook() throws IOException {
        Deque<Map<String, Object>> answers = new ArrayDeque<>(List.of(
                answer(List.of(), 2L, false),
                answer(List.of(9L, 10L), 2L, true),
                answer(List.of(), 2L, true)));
        List<Long> asked = new ArrayList<>();
        LogStream stream = new LogStream(answer(List.of(1L, 2L), null, false), 0,
                after -> {
                    asked.add(after);
                    return answers.pop();
                }, 1);
        String events = all(stream);
        assertEquals(List.of(2L, 8L, 10L), asked, "each look asks after the last seq sent, over the middle left out");
        assertEquals("""
                id: 1
                event: output
                data: {"seq":1,"stream":"stdout","data":"c1\\n","time":"t"}

                id: 2
                event: output
                data: {"seq":2,"stream":"stdout","data":"c2\\n","time":"t"}

                :
                event: truncated
                data: {"dropped_bytes":500}

                id: 9
                event: output
                data: {"seq":9,"stream":"stdout","data":"c9\\n","time":"t"}

                id: 10
                event: output
                data: {"seq":10,"stream":"stdout","data":"c10\\n","time":"t"}

                event: end
                data: {"result_flag":1,"state":"succeeded","worker_flag":1}

                """, events);
    }

    @Test
    void chunksRecordedOutOfOrderAreEachSentOnceAndNoneIsSkipped() throws IOException {
        // two Watchers: chunk 3 recorded before chunk 2
        Deque<Map<String, Object>> answers = new ArrayDeque<>(List.of(
                answer(List.of(3L), null, false),
                answer(List.of(2L, 3L), null, false),
                answer(List.of(), null, true),
                answer(List.of(), null, true)));
        List<Long> asked = new ArrayList<>();
        String events = all(new LogStream(answer(List.of(1L), null, false), 0, after -> {
            asked.add(after);
            return answers.pop();
        }, 1));
        assertEquals(List.of(1L, 1L, 3L, 3L), asked, "asked after the last seq without a gap");
        assertEquals(List.of("1", "3", "2"), events.lines().filter(l -> l.startsWith("id: ")).map(l -> l.substring(4)).toList());
        assertTrue(events.endsWith("event: end\ndata: {\"result_flag\":1,\"state\":\"succeeded\",\"worker_flag\":1}\n\n"), events);
    }

    @Test
    void aLookThatFindsNothingWritesACommentAndAFailedLookEndsTheStreamWithItsError() throws IOException {
        Deque<Map<String, Object>> answers = new ArrayDeque<>(List.of(
                answer(List.of(), null, false),
                answer(List.of(), null, false),
                Replies.failure("[500.1]Internal Component Timeout: watcher did not answer output in time")));
        LogStream stream = new LogStream(answer(List.of(), null, false), 0, after -> answers.pop(), 1);
        String events = all(stream);
        assertTrue(events.startsWith(":\n:\nevent: error\n"), events);
        assertTrue(events.endsWith("event: error\ndata: {\"error\":\"[500.1]Internal Component Timeout: watcher did not answer output in time\"}\n\n"), events);
    }
}

package org.elves.agent.output;

import org.elves.protocol.thrift.OutputChunk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskOutputTest {
    private final TaskOutput task = new TaskOutput("T1", SecretMasker.NONE, 1024, () -> { });

    @Test
    void writesOfOneStreamCoalesceAndSeqRunsOverBothStreams() {
        write(task.stdout, "a");
        write(task.stdout, "b");
        write(task.stderr, "oops");
        write(task.stdout, "c");
        List<OutputChunk> chunks = task.take();
        assertEquals(List.of("stdout:ab:1", "stderr:oops:2", "stdout:c:3"), chunks.stream()
                .map(c -> c.getStream() + ":" + c.getData() + ":" + c.getSeq()).toList());
        write(task.stdout, "d");
        assertEquals(4, task.take().get(0).getSeq());
    }

    @Test
    void noChunkIsLargerThan16KiB() {
        TaskOutput big = new TaskOutput("T2", SecretMasker.NONE, 1 << 20, () -> { });
        write(big.stdout, "a".repeat(10_000));
        write(big.stdout, "b".repeat(30_000));
        List<OutputChunk> chunks = big.take();
        assertEquals(40_000, chunks.stream().mapToInt(c -> c.getData().length()).sum());
        chunks.forEach(c -> assertTrue(c.getData().length() <= 16 * 1024, c.getData().length() + " bytes"));
    }

    @Test
    void aCharacterSplitByReadsWaitsForItsOtherBytes() {
        byte[] euro = "€".getBytes(UTF_8); // 3 bytes
        task.stdout.write(euro, 0, 1);
        assertEquals(List.of(), task.take());
        task.stdout.write(euro, 1, 2);
        assertEquals("€", task.take().get(0).getData());
    }

    @Test
    void beyondTheBoundTheOldestIsDroppedAndReportedOnce() {
        write(task.stdout, "x".repeat(1000));
        write(task.stdout, "y".repeat(1000));
        List<OutputChunk> chunks = task.take();
        assertEquals(1, chunks.size());
        assertEquals(1024, chunks.get(0).getData().length());
        assertTrue(chunks.get(0).getData().endsWith("y".repeat(1000)));
        assertEquals(976, chunks.get(0).getDropped());
        write(task.stdout, "z");
        assertFalse(task.take().get(0).isSetDropped());
    }

    @Test
    void lostChunksCountAsDroppedAndTheEndReportsThem() {
        write(task.stdout, "hello");
        task.lost(task.take());
        task.end();
        List<OutputChunk> last = task.take();
        assertEquals(1, last.size());
        assertEquals("", last.get(0).getData());
        assertEquals(5, last.get(0).getDropped());
    }

    @Test
    void withSecretsAnUnfinishedLineWaitsSoThatASecretSplitByReadsIsMaskedWhole() {
        SecretMasker masker = SecretMasker.of(List.of("password"), "{\"password\": \"hunter2secret\"}");
        TaskOutput secret = new TaskOutput("T3", masker, 1 << 20, () -> { });
        write(secret.stdout, "starting\nlogin with hunt");
        assertEquals(List.of("starting\n"), data(secret.take()), "the finished line goes, the rest waits");
        write(secret.stdout, "er2secret ok\npassw");
        write(secret.stderr, "warning: passw");
        assertEquals(List.of("login with *** ok\n"), data(secret.take()));
        write(secret.stdout, "ord=s3cr3t-value done\n");
        write(secret.stderr, "ord: other-secret\n");
        assertEquals(List.of("password=*** done\n", "warning: password: ***\n"), data(secret.take()));
        write(secret.stdout, "no line end at the end");
        assertEquals(List.of(), secret.take());
        secret.end();
        assertEquals(List.of("no line end at the end"), data(secret.take()), "the end sends what waited");
    }

    @Test
    void withSecretsALineLongerThanTheHeldBoundGoesAnywayAndChunksStayWithin16KiB() {
        SecretMasker masker = SecretMasker.of(List.of("token"), "{}");
        TaskOutput secret = new TaskOutput("T4", masker, 1 << 20, () -> { });
        write(secret.stdout, "p".repeat(TaskOutput.HELD_LINE_BYTES + 1));
        List<String> first = data(secret.take());
        assertEquals(1, first.size(), "not held forever");
        int held = TaskOutput.HELD_LINE_BYTES + 1 - first.get(0).length();
        assertTrue(held > 0 && held < 64, "only where a secret could begin waits: " + held);
        write(secret.stdout, "q".repeat(3000));
        write(secret.stdout, "r".repeat(TaskOutput.SEGMENT_BYTES - 1) + "\n");
        List<OutputChunk> chunks = secret.take();
        chunks.forEach(c -> assertTrue(c.getData().getBytes(UTF_8).length <= 16 * 1024, c.getData().length() + " bytes"));
        assertEquals(held + 3000 + TaskOutput.SEGMENT_BYTES, chunks.stream().mapToInt(c -> c.getData().length()).sum());
    }

    @Test
    void inALineLongerThanTheHeldBoundASecretSplitByReadsIsStillMaskedWhole() {
        SecretMasker masker = SecretMasker.of(List.of("password"), "{\"password\": \"hunter2secret\"}");
        TaskOutput secret = new TaskOutput("T5", masker, 1 << 20, () -> { });
        String x = "x".repeat(TaskOutput.HELD_LINE_BYTES + 100);
        StringBuilder sent = new StringBuilder();
        write(secret.stdout, x + " hunter2sec");
        data(secret.take()).forEach(sent::append);
        write(secret.stdout, "ret and password=abc");
        data(secret.take()).forEach(sent::append);
        write(secret.stdout, "defghij then " + "€".repeat(3000));
        data(secret.take()).forEach(sent::append);
        write(secret.stdout, " end\n");
        data(secret.take()).forEach(sent::append);
        assertEquals(x + " *** and password=*** then " + "€".repeat(3000) + " end\n", sent.toString());
    }

    @Test
    void oneValueRunningOnPastTheBoundGoesWhole() {
        SecretMasker masker = SecretMasker.of(List.of("password"), "{}");
        TaskOutput secret = new TaskOutput("T6", masker, 1 << 20, () -> { });
        write(secret.stdout, "password=" + "v".repeat(TaskOutput.HELD_VALUE_BYTES / 2));
        assertEquals(List.of(), secret.take(), "the value may go on: it waits");
        write(secret.stdout, "v".repeat(TaskOutput.HELD_VALUE_BYTES / 2));
        assertEquals(List.of("password=***"), data(secret.take()), "held no further than the bound, masked");
    }

    private static List<String> data(List<OutputChunk> chunks) {
        return chunks.stream().map(OutputChunk::getData).toList();
    }

    @Test
    void wholeCharactersEndsBeforeAnIncompleteSequence() {
        byte[] text = "a€".getBytes(UTF_8);
        assertEquals(4, TaskOutput.wholeCharacters(text));
        assertEquals(1, TaskOutput.wholeCharacters(java.util.Arrays.copyOf(text, 3)));
        assertEquals(1, TaskOutput.wholeCharacters(java.util.Arrays.copyOf(text, 2)));
    }

    private static void write(ByteSink sink, String text) {
        byte[] b = text.getBytes(UTF_8);
        sink.write(b, 0, b.length);
    }
}

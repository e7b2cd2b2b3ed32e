package org.elves.bench;

import org.elves.center.heartbeat.AgentRegistry;
import org.elves.center.heartbeat.BeatSharing;
import org.elves.protocol.thrift.AgentInfo;

import java.util.Map;

/**
 * What sharing beats between Heartbeat instances costs (docs/decisions.md 23): a fleet's beats
 * coalesced into batches by one instance and merged by another, in process (the broker's part is
 * one message per batch): bytes per beat on the wire, CPU per beat on each side.
 */
public final class BeatSharingBench {

    public static void main(String[] args) throws Exception {
        Map<String, Integer> o = Options.parse(args, Map.of("agents", 10000, "rounds", 30));
        int agents = o.get("agents");
        AgentRegistry sender = new AgentRegistry(System::currentTimeMillis, () -> 10_000L, () -> 3L);
        AgentRegistry receiver = new AgentRegistry(System::currentTimeMillis, () -> 10_000L, () -> 3L);
        BeatSharing out = new BeatSharing(sender, "a", System::currentTimeMillis, () -> 250L);
        BeatSharing in = new BeatSharing(receiver, "b", System::currentTimeMillis, () -> 250L);
        out.published();
        AgentInfo[] fleet = new AgentInfo[agents];
        for (int i = 0; i < agents; i++) {
            String ip = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            fleet[i] = new AgentInfo(ip, ip, "1.0.0", "{\"apptest\":\"1.0.0\",\"shelltest\":\"1.0.0\"}");
            fleet[i].setInterval(10);
            fleet[i].setPort(11101);
            fleet[i].setType("java");
            fleet[i].setStartTime(System.currentTimeMillis());
        }
        long bytes = 0;
        long batches = 0;
        long recordNanos = 0;
        long shareNanos = 0;
        long mergeNanos = 0;
        for (int round = 0; round < o.get("rounds"); round++) {
            long t0 = System.nanoTime();
            for (AgentInfo info : fleet) {
                out.offer(sender.record(info));
            }
            long t1 = System.nanoTime();
            long share = 0;
            long merge = 0;
            byte[] batch;
            while ((batch = out.nextBatch()) != null) {
                long t2 = System.nanoTime();
                in.received(batch);
                merge += System.nanoTime() - t2;
                bytes += batch.length;
                batches++;
            }
            share = System.nanoTime() - t1 - merge;
            if (round >= o.get("rounds") / 3) {
                recordNanos += t1 - t0;
                shareNanos += share;
                mergeNanos += merge;
            }
        }
        long measured = (long) agents * (o.get("rounds") - o.get("rounds") / 3);
        System.out.printf("beat sharing, %d agents x %d rounds: %d bytes per beat on the wire (%d beats per batch), "
                        + "record %.2f us, batch %.2f us, merge %.2f us per beat%n",
                agents, o.get("rounds"), bytes / ((long) agents * o.get("rounds")),
                (long) agents * o.get("rounds") / batches,
                recordNanos / 1000.0 / measured, shareNanos / 1000.0 / measured, mergeNanos / 1000.0 / measured);
    }
}

package org.elves.center.heartbeat;

import org.apache.thrift.TDeserializer;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.elves.protocol.thrift.SharedBeat;
import org.elves.protocol.thrift.SharedBeats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Every Heartbeat instance knows every agent (docs/decisions.md 23): the beats one instance
 * receives are published in batches (route heartbeat-share, every {@code elves.heartbeat.share-ms})
 * to every instance, which merges them into its {@link AgentRegistry}. An agent beating any
 * instance is thus online on all, a Scheduler may ask any, and the hot path (the online check)
 * stays a map lookup. A starting instance asks the others for all they know with its first batch.
 * <p>
 * Beats an instance received from its agents are coalesced per agent until the next batch, so the
 * broker carries one message per instance and period whatever the fleet's size.
 */
public class BeatSharing {
    private static final Logger LOG = LoggerFactory.getLogger(BeatSharing.class);
    /** A batch's size bound; the rest goes with the next one. */
    static final int BATCH_MAX = 2000;
    /** Another instance is counted as running while its batches came within this long. */
    static final long PEER_SILENCE_MS = 60_000;

    private final AgentRegistry registry;
    private final String instance;
    private final LongSupplier clock;
    private final LongSupplier shareMs;
    private final Map<String, AgentRegistry.AgentState> pending = new ConcurrentHashMap<>();
    private volatile boolean askAll = true;
    private volatile long lastPeerBatch = Long.MIN_VALUE;

    /**
     * @param instance this process's name ({@code elves.instance}): its own batches come back to it
     * @param shareMs  the batch period, read per question
     */
    public BeatSharing(AgentRegistry registry, String instance, LongSupplier clock, LongSupplier shareMs) {
        this.registry = registry;
        this.instance = instance;
        this.clock = clock;
        this.shareMs = shareMs;
    }

    /** A beat this instance received from an agent, for the next batch. */
    public void offer(AgentRegistry.AgentState state) {
        pending.put(state.ip(), state);
    }

    /** The next batch to publish, or null when there is nothing to tell. */
    public byte[] nextBatch() throws TException {
        List<SharedBeat> beats = new ArrayList<>();
        for (Map.Entry<String, AgentRegistry.AgentState> e : pending.entrySet()) {
            if (beats.size() >= BATCH_MAX) {
                break;
            }
            // removed only if no newer beat replaced it meanwhile: that one goes next time
            if (pending.remove(e.getKey(), e.getValue())) {
                AgentRegistry.AgentState s = e.getValue();
                beats.add(new SharedBeat(s.info(), s.lastSeen(), s.firstSeen()));
            }
        }
        if (beats.isEmpty() && !askAll) {
            return null;
        }
        SharedBeats batch = new SharedBeats(instance, beats);
        if (askAll) {
            batch.setAskAll(true);
        }
        return new TSerializer(new TCompactProtocol.Factory()).serialize(batch);
    }

    /** The batch went out: a start's question for everything was asked. */
    public void published() {
        askAll = false;
    }

    /** A batch from any instance (its own come back too, and are skipped). */
    public void received(byte[] body) {
        SharedBeats batch = new SharedBeats();
        try {
            new TDeserializer(new TCompactProtocol.Factory()).deserialize(batch, body);
        } catch (TException | RuntimeException e) {
            LOG.warn("a shared heartbeat batch could not be read, skipped: {}", e.getMessage());
            return;
        }
        if (instance.equals(batch.getSender())) {
            return;
        }
        lastPeerBatch = clock.getAsLong();
        if (batch.getBeats() != null) {
            for (SharedBeat beat : batch.getBeats()) {
                registry.merge(beat.getInfo(), beat.getLastSeen(), beat.getFirstSeen());
            }
        }
        if (batch.isAskAll()) {
            registry.all().forEach(this::offer);
        }
    }

    /**
     * How long an agent this instance does not know may still be on its way from another
     * instance (a first beat there, shared with the next batch): two batch periods while other
     * instances run, else 0. The Scheduler asks again within it instead of taking 414.1.
     */
    public long lagMs() {
        long now = clock.getAsLong();
        return lastPeerBatch != Long.MIN_VALUE && now - lastPeerBatch < PEER_SILENCE_MS ? 2 * shareMs.getAsLong() + 100 : 0;
    }
}

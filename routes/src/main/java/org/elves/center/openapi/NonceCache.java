package org.elves.center.openapi;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The (auth_id, nonce) pairs of the hmac-sha256 requests one OpenAPI instance accepted, each kept
 * until its request's timestamp leaves the signature window ({@code timestamp + window}): after
 * that a replay fails the window check anyway. Bounded: at most {@code capacity} pairs are kept;
 * when that many are still unexpired a new request is refused ({@link Outcome#FULL}) rather than a
 * pair forgotten, which would let its replay through. In memory and per instance: a replay sent
 * to another OpenAPI instance within the window is not caught (docs/api.md, known limit).
 * <p>
 * Thread-safe; O(1) per request (amortised: each pair is removed once, from the head of an
 * arrival-ordered queue). A pair whose request was dated ahead may hold up the removal of later
 * expired pairs behind it, so a pair is kept at most two windows.
 */
public final class NonceCache {
    /** What {@link #remember} found. */
    public enum Outcome { FRESH, REPLAYED, FULL }

    private record Entry(String key, long expiry) {
    }

    private final int capacity;
    private final ConcurrentHashMap<String, Long> expiries = new ConcurrentHashMap<>();
    private final Queue<Entry> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ReentrantLock pruning = new ReentrantLock();

    public NonceCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("nonce cache capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Records the pair unless it is already recorded and unexpired.
     *
     * @param expiry the epoch second from which the request is outside the window (timestamp + window)
     * @param now    the server's epoch second
     */
    public Outcome remember(String authId, String nonce, long expiry, long now) {
        prune(now);
        // a nonce has no space ([A-Za-z0-9_-]), so the pair is unambiguous whatever the auth_id holds
        String key = nonce + ' ' + authId;
        if (queued.get() >= capacity) {
            Long old = expiries.get(key);
            return old != null && old > now ? Outcome.REPLAYED : Outcome.FULL;
        }
        boolean[] fresh = {false};
        expiries.compute(key, (k, old) -> {
            if (old != null && old > now) {
                return old;
            }
            fresh[0] = true;
            return expiry;
        });
        if (!fresh[0]) {
            return Outcome.REPLAYED;
        }
        arrivals.add(new Entry(key, expiry));
        queued.incrementAndGet();
        return Outcome.FRESH;
    }

    /** The pairs held, expired ones not yet removed included. */
    public int size() {
        return queued.get();
    }

    /** Drops the expired pairs at the head of the arrival queue; one thread at a time, others skip. */
    private void prune(long now) {
        if (!pruning.tryLock()) {
            return;
        }
        try {
            Entry head;
            while ((head = arrivals.peek()) != null && head.expiry() <= now) {
                arrivals.poll();
                queued.decrementAndGet();
                // only this entry's value: the pair may have been recorded again since it expired
                expiries.remove(head.key(), head.expiry());
            }
        } finally {
            pruning.unlock();
        }
    }
}

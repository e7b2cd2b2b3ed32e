package org.elves.center.cron;

import org.bson.Document;
import org.elves.config.ElvesConfig;
import org.elves.protocol.CronRule;
import org.elves.protocol.CronRunId;
import org.elves.protocol.ElvesException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The leader's side of center crons: called by the Quartz tick of route cron-tick (a master:
 * endpoint, so only the ZooKeeper-elected Cron instance ticks), it answers the asyncJob casts of
 * every run due now. Each run is first claimed in the store under its key (cron id, scheduled fire
 * time); a key claimed by anyone before is not fired again.
 * <p>
 * Misfires: a tick after a gap (this instance just took over, or the process stalled) finds runs
 * whose time passed. Policy {@code elves.cron.misfire}: {@code fire-once} (default) fires one run
 * per cron, for its latest missed time; {@code skip} fires none of them. Within one tick a cron
 * fires at most once.
 */
public class CronFiring {
    private static final Logger LOG = LoggerFactory.getLogger(CronFiring.class);
    /** A tick later than this after the previous one starts a new leadership (or a stall). */
    private static final long GAP_MILLIS = 2_500;

    private final CronStore store;
    private final ElvesConfig config;
    private final LongSupplier clock;
    private final String claimer = UUID.randomUUID().toString();
    private final FireDelays delays = new FireDelays();
    private final Map<String, Scheduled> schedule = new HashMap<>();
    private long loadedChanges = -1;
    private long lastTick;
    private volatile long leadingSince;

    public CronFiring(CronStore store, ElvesConfig config, LongSupplier clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /** One cron as the leader holds it: its definition, parsed rule and the last key it knows fired. */
    private static final class Scheduled {
        final Document cron;
        final CronRule rule;
        long lastFire;
        Instant next;

        Scheduled(Document cron, CronRule rule) {
            this.cron = cron;
            this.rule = rule;
            this.lastFire = cron.get("last_fire", 0L);
            this.next = rule.nextAfter(Instant.ofEpochMilli(lastFire));
        }
    }

    /** The asyncJob bodies of the runs due now, each claimed; an empty list most ticks. */
    public synchronized List<Map<String, Object>> tick() {
        long now = clock.getAsLong();
        boolean gap = lastTick == 0 || now - lastTick > GAP_MILLIS;
        lastTick = now;
        reloadIfChanged(gap);
        if (gap) {
            leadingSince = now;
            LOG.info("cron: firing as leader ({} center crons, misfire policy {})", schedule.size(), misfirePolicy());
            applyMisfirePolicy(now);
        }
        Instant nowInstant = Instant.ofEpochMilli(now);
        Map<String, Scheduled> dueCrons = new LinkedHashMap<>();
        List<CronStore.Claim> claims = new ArrayList<>();
        for (Scheduled s : schedule.values()) {
            if (s.next == null || s.next.isAfter(nowInstant)) {
                continue;
            }
            Instant due = s.rule.latestBetween(Instant.ofEpochMilli(s.lastFire), nowInstant);
            if (due != null) {
                String id = s.cron.getString("_id");
                dueCrons.put(id, s);
                claims.add(new CronStore.Claim(id, s.lastFire, due.toEpochMilli()));
            } else {
                s.next = s.rule.nextAfter(Instant.ofEpochMilli(Math.max(s.lastFire, now)));
            }
        }
        List<Map<String, Object>> jobs = new ArrayList<>(claims.size());
        java.util.Set<String> won = store.claimAll(claims, claimer);
        for (CronStore.Claim c : claims) {
            Scheduled s = dueCrons.get(c.id());
            // one that lost the bulk claim: its stored key moved (a start, another leader); look again
            if (won.contains(c.id()) || claim(s, c.fireMs())) {
                s.lastFire = c.fireMs();
                jobs.add(job(s.cron, Instant.ofEpochMilli(c.fireMs())));
            }
            s.next = s.rule.nextAfter(Instant.ofEpochMilli(Math.max(s.lastFire, now)));
        }
        return jobs;
    }

    /** Called once a run's asyncJob was cast: how late it went out, for the figures. */
    public void sent(Object fireMillis) {
        if (fireMillis instanceof Number n) {
            delays.record(clock.getAsLong() - n.longValue());
        }
    }

    public FireDelays delays() {
        return delays;
    }

    /** When this instance last began firing after a gap (ms; 0 = never): its take-over time. */
    public long leadingSince() {
        return leadingSince;
    }

    /** Crons this instance holds (0 until it ticked as leader). */
    public synchronized int scheduled() {
        return schedule.size();
    }

    private void reloadIfChanged(boolean force) {
        long changes = store.changes(CronStore.CENTER);
        if (!force && changes == loadedChanges) {
            return;
        }
        Map<String, Scheduled> fresh = new HashMap<>();
        for (Document cron : store.started(CronStore.CENTER)) {
            String id = cron.getString("_id");
            Scheduled known = schedule.get(id);
            long storedFire = cron.get("last_fire", 0L);
            if (known != null && known.cron.get("rev", 0L).equals(cron.get("rev", 0L)) && known.lastFire >= storedFire) {
                fresh.put(id, known);
                continue;
            }
            try {
                fresh.put(id, new Scheduled(cron, CronRule.parse(cron.getString("rule"), cron.getString("timezone"))));
            } catch (ElvesException e) {
                LOG.error("cron {} not scheduled: {}", id, e.getMessage());
            }
        }
        schedule.clear();
        schedule.putAll(fresh);
        loadedChanges = changes;
        LOG.debug("{} center crons scheduled", schedule.size());
    }

    private void applyMisfirePolicy(long now) {
        if (!"skip".equals(misfirePolicy())) {
            return;
        }
        // only the current second's run stays due: everything older is given up
        long horizon = now - 1_000;
        for (Scheduled s : schedule.values()) {
            if (s.lastFire < horizon) {
                s.lastFire = horizon;
                s.next = s.rule.nextAfter(Instant.ofEpochMilli(horizon));
            }
        }
    }

    private String misfirePolicy() {
        return config.get("elves.cron.misfire", "fire-once").trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** Moves the stored key to {@code fireMs}; false when that key (or a later one) is someone else's. */
    private boolean claim(Scheduled s, long fireMs) {
        String id = s.cron.getString("_id");
        for (int attempt = 0; attempt < 3; attempt++) {
            Document current = store.find(id);
            if (current == null || current.getInteger("cron_flag", 0) != 1) {
                s.lastFire = fireMs;
                return false;
            }
            long expected = current.get("last_fire", 0L);
            if (expected >= fireMs) {
                LOG.info("run {} was fired by another Cron instance; not fired again", CronRunId.of(id, Instant.ofEpochMilli(fireMs)));
                s.lastFire = expected;
                return false;
            }
            if (store.claim(id, expected, fireMs, claimer)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> job(Document cron, Instant due) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", CronRunId.of(cron.getString("_id"), due));
        for (String field : List.of("ip", "mode", "app", "func", "param", "timeout", "proxy")) {
            job.put(field, cron.get(field));
        }
        job.put("type", "cron");
        job.put("fire_time", due.toEpochMilli());
        return job;
    }
}

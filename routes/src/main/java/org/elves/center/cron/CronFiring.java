package org.elves.center.cron;

import org.bson.Document;
import org.elves.center.common.TaskEvents;
import org.elves.center.contract.AsyncJob;
import org.elves.center.contract.AsyncJobBatch;
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
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The leader's side of center crons: called by the Quartz tick of route cron-tick (a master:
 * endpoint, so only the ZooKeeper-elected Cron instance ticks), it answers the asyncJob casts of
 * every run due now, each keyed (cron id, scheduled time).
 * <p>
 * Exactly once: each tick first claims its second in the store ({@link CronStore#claimTick}); the
 * runs due up to that moment belong to the one instance that claimed it, so two instances that
 * both believe they lead (a moment at a take-over) never fire one key twice, and a thousand runs
 * due at the same second cost one insert instead of a thousand conditional updates. What the
 * last claimed second was is the watermark a new leader starts from.
 * <p>
 * Misfires: a tick after a gap (this instance just took over, or the process stalled) finds runs
 * whose time passed with no second claimed. Policy {@code elves.cron.misfire}: {@code fire-once}
 * (default) fires one run per cron, for its latest missed time; {@code skip} fires none of them.
 * Within one tick a cron fires at most once. A cron never fires for a time before it was created
 * or last started ({@code last_fire}).
 */
public class CronFiring {
    private static final Logger LOG = LoggerFactory.getLogger(CronFiring.class);
    /** A tick later than this after the previous one starts a new leadership (or a stall). */
    private static final long GAP_MILLIS = 2_500;
    private static final long TICKS_KEPT_SECONDS = 3_600;

    private final CronStore store;
    private final ElvesConfig config;
    private final LongSupplier clock;
    private final String claimer = UUID.randomUUID().toString();
    private final FireDelays delays = new FireDelays();
    private final Map<String, Scheduled> schedule = new HashMap<>();
    private long loadedChanges = -1;
    private long lastTick;
    /** Every run due at or before this time (ms) was fired by some instance. */
    private long watermark;
    private volatile long leadingSince;

    /** Set once the tap exists (CronConfiguration.configure, after the beans are bound). */
    private volatile TaskEvents events = TaskEvents.none();

    public void tellWatcher(TaskEvents events) {
        this.events = events;
    }

    /** The key that made a center cron (its runs' asker), "" when this instance does not hold it. */
    private synchronized String authIdOf(String cronId) {
        Scheduled s = schedule.get(cronId);
        return s == null ? "" : String.valueOf(s.cron.get("auth_id"));
    }

    public CronFiring(CronStore store, ElvesConfig config, LongSupplier clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /** One cron as the leader holds it: its definition, parsed rule and next fire time. */
    private static final class Scheduled {
        final Document cron;
        final CronRule rule;
        /** Created or last started: no run before. */
        final long notBefore;
        Instant next;

        Scheduled(Document cron, CronRule rule, long watermark) {
            this.cron = cron;
            this.rule = rule;
            this.notBefore = cron.get("last_fire", 0L);
            this.next = rule.nextAfter(Instant.ofEpochMilli(Math.max(watermark, notBefore)));
        }
    }

    /** The runs due now as one asyncJobs body per agent, {ip, jobs}; an empty list most ticks. */
    public List<Map<String, Object>> tick() {
        Map<String, List<AsyncJob>> byIp = new LinkedHashMap<>();
        for (AsyncJob job : due()) {
            byIp.computeIfAbsent(job.ip(), ip -> new ArrayList<>()).add(job);
        }
        List<Map<String, Object>> batches = new ArrayList<>(byIp.size());
        byIp.forEach((ip, jobs) -> batches.add(new AsyncJobBatch(ip, jobs).toMap()));
        return batches;
    }

    /** The asyncJobs of the runs due now. */
    synchronized List<AsyncJob> due() {
        long now = clock.getAsLong();
        boolean gap = lastTick == 0 || now - lastTick > GAP_MILLIS;
        lastTick = now;
        if (gap) {
            takeOver(now);
        } else {
            reloadIfChanged(false);
        }
        long second = Math.floorDiv(now, 1000L);
        if (!store.claimTick(second, claimer)) {
            LOG.info("cron: second {} was ticked by another Cron instance; nothing fired here", second);
            watermark = now;
            return List.of();
        }
        List<AsyncJob> jobs = new ArrayList<>();
        Instant nowInstant = Instant.ofEpochMilli(now);
        for (Scheduled s : schedule.values()) {
            if (s.next == null || s.next.isAfter(nowInstant)) {
                continue;
            }
            Instant due = s.rule.latestBetween(Instant.ofEpochMilli(Math.max(watermark, s.notBefore)), nowInstant);
            if (due != null) {
                jobs.add(job(s.cron, due));
            }
            s.next = s.rule.nextAfter(nowInstant);
        }
        watermark = now;
        if (second % 60 == 0) {
            store.pruneTicks(second - TICKS_KEPT_SECONDS);
        }
        return jobs;
    }

    /** Called once an asyncJobs batch was cast: how late each run went out, for the figures. */
    public void sent(Map<String, Object> batch) {
        events.fired(batch, this::authIdOf);
        long now = clock.getAsLong();
        for (AsyncJob job : AsyncJobBatch.fromMap(batch).jobs()) {
            if (job.fireTime() != null) {
                delays.record(now - job.fireTime());
            }
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

    /** A first tick after a gap: the watermark is the last second anyone claimed, then the policy. */
    private void takeOver(long now) {
        leadingSince = now;
        long lastClaimed = store.lastTick();
        watermark = Math.max(watermark, lastClaimed * 1000L);
        if ("skip".equals(misfirePolicy())) {
            // only the current second's runs stay due: everything older is given up
            watermark = Math.max(watermark, now - 1_000);
        }
        reloadIfChanged(true);
        LOG.info("cron: firing as leader ({} center crons, last second ticked {}, misfire policy {})",
                schedule.size(), lastClaimed == 0 ? "none" : Instant.ofEpochSecond(lastClaimed), misfirePolicy());
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
            if (!force && known != null && known.notBefore == cron.get("last_fire", 0L)
                    && known.cron.getString("rule").equals(cron.getString("rule"))) {
                fresh.put(id, known);
                continue;
            }
            try {
                fresh.put(id, new Scheduled(cron, CronRule.parse(cron.getString("rule"), cron.getString("timezone")), watermark));
            } catch (ElvesException e) {
                LOG.error("cron {} not scheduled: {}", id, e.getMessage());
            }
        }
        schedule.clear();
        schedule.putAll(fresh);
        loadedChanges = changes;
        LOG.debug("{} center crons scheduled", schedule.size());
    }

    private String misfirePolicy() {
        return config.require("elves.cron.misfire").trim().toLowerCase(Locale.ROOT);
    }

    private static AsyncJob job(Document cron, Instant due) {
        return AsyncJob.of(CronRunId.of(cron.getString("_id"), due), cron.getString("ip"), AsyncJob.CRON,
                cron.getString("mode"), cron.getString("app"), cron.getString("func"), cron.getString("param"),
                cron.getInteger("timeout"), cron.getString("proxy")).firedAt(due.toEpochMilli());
    }
}

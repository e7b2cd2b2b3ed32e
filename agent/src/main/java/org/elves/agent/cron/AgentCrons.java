package org.elves.agent.cron;

import org.elves.agent.LightJson;
import org.elves.agent.state.AtomicFiles;
import org.elves.protocol.CronRule;
import org.elves.protocol.thrift.Instruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent-side crons of one agent (work modes AANP / AAP): the list the center pushed, each
 * cron fired at its scheduled instants on a shared timer, also while the center is down.
 * <ul>
 *   <li>a fire at scheduled time T hands {@code Instruct{id: <cron id>@<epoch s of T>, type:
 *   "cron", ...}} to the runner (the agent's async executor);</li>
 *   <li>the list, its version and each cron's last fired time are kept in {@code crons.json}
 *   (written atomically before each run starts), so a restarted agent goes on with its crons and
 *   never fires one time twice;</li>
 *   <li>times missed while the agent was down: see {@link MisfirePolicy}; a wake-up that comes
 *   late at run time (a paused machine) fires the latest due time, unless it is more than
 *   {@link #LATE_LIMIT} late and the policy is skip.</li>
 * </ul>
 * The timer thread only computes and hands over; it must not be one whose tasks block.
 */
public final class AgentCrons implements AutoCloseable {
    /** A wake-up later than this after its time counts as a misfire. */
    static final Duration LATE_LIMIT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(AgentCrons.class);

    private final String ip;
    private final Path stateFile;
    private final MisfirePolicy misfire;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Consumer<Instruct> runner;
    private Map<String, Slot> crons = new LinkedHashMap<>();
    private String version = "";
    private boolean started;
    private boolean closed;

    /** One cron and its timer state; replaced (not changed) when the center changes the cron. */
    private static final class Slot {
        final CronEntry entry;
        final CronRule rule;
        /** when the agent first got this cron, epoch ms: it never fires for times before. */
        final long sinceMillis;
        Instant lastFired;
        Instant nextAt;
        ScheduledFuture<?> future;

        Slot(CronEntry entry, CronRule rule, long sinceMillis, Instant lastFired) {
            this.entry = entry;
            this.rule = rule;
            this.sinceMillis = sinceMillis;
            this.lastFired = lastFired;
        }

        Instant firedOrArrived() {
            return lastFired != null ? lastFired : Instant.ofEpochMilli(sinceMillis);
        }
    }

    /**
     * @param ip        the agent's identity, the {@code ip} of the instructs
     * @param stateFile where the list and the last fired times are kept ({@code <statedir>/crons.json})
     * @param timer     fires the crons; shared by the agents of a fleet
     * @param runner    takes each run's instruct; must return quickly
     */
    public AgentCrons(String ip, Path stateFile, MisfirePolicy misfire, Clock clock, ScheduledExecutorService timer,
                      Consumer<Instruct> runner) {
        this.ip = ip;
        this.stateFile = stateFile;
        this.misfire = misfire;
        this.clock = clock;
        this.timer = timer;
        this.runner = runner;
    }

    /** Loads the kept list, applies the misfire policy to the times missed while down, arms the timers. */
    public void start() {
        List<Instruct> missed = new ArrayList<>();
        synchronized (this) {
            if (started || closed) {
                return;
            }
            started = true;
            load();
            Instant now = clock.instant();
            for (Slot s : crons.values()) {
                Instant latest = s.rule.latestBetween(s.firedOrArrived(), now);
                if (latest != null) {
                    if (misfire == MisfirePolicy.FIRE_ONCE) {
                        LOG.info("agent {}: cron {} missed its time(s) while the agent was down; firing once for {}",
                                ip, s.entry.id(), latest);
                        s.lastFired = latest;
                        missed.add(s.entry.instruct(ip, latest));
                    } else {
                        LOG.info("agent {}: cron {} missed its time(s) while the agent was down (latest {}); skipped"
                                + " (cron.misfire = skip)", ip, s.entry.id(), latest);
                    }
                }
                schedule(s, now);
            }
            if (!missed.isEmpty()) {
                save();
            }
            if (!crons.isEmpty()) {
                LOG.info("agent {}: {} agent-side cron(s) of version {} loaded from {}", ip, crons.size(), version, stateFile);
            }
        }
        missed.forEach(this::run);
    }

    /**
     * Replaces the whole set of crons with this list (cronSync). Crons kept unchanged keep their
     * timers; changed ones keep their last fired time; a new one fires first at its next time
     * after now.
     *
     * @return the version now held
     */
    public synchronized String sync(CronList list) {
        if (closed) {
            throw new IllegalStateException("agent " + ip + " is closing");
        }
        Instant now = clock.instant();
        Map<String, Slot> next = new LinkedHashMap<>();
        int added = 0;
        int changed = 0;
        for (CronEntry e : list.crons()) {
            Slot old = crons.remove(e.id());
            if (old != null && old.entry.equals(e)) {
                next.put(e.id(), old);
                continue;
            }
            CronRule rule;
            try {
                rule = e.parseRule();
            } catch (IllegalArgumentException bad) {
                // CronList has checked it; kept for lists built by hand
                LOG.error("agent {}: agent-side cron {} skipped: {}", ip, e.id(), bad.getMessage());
                if (old != null) {
                    crons.put(e.id(), old); // counted and cancelled as removed below
                }
                continue;
            }
            Slot s = old == null ? new Slot(e, rule, now.toEpochMilli(), null) : new Slot(e, rule, old.sinceMillis, old.lastFired);
            if (old == null) {
                added++;
            } else {
                cancel(old);
                changed++;
            }
            if (started) {
                schedule(s, now);
            }
            next.put(e.id(), s);
        }
        int removed = crons.size();
        crons.values().forEach(AgentCrons::cancel);
        crons = next;
        boolean newVersion = !list.version().equals(version);
        version = list.version();
        if (newVersion || added + changed + removed > 0) {
            save();
            LOG.info("agent {}: agent-side crons now version {}: {} cron(s), {} added, {} changed, {} removed",
                    ip, version, crons.size(), added, changed, removed);
        }
        return version;
    }

    /**
     * The {@code "crons"} object of a heartbeat answer: applied unless its version is the one
     * held. An unusable object is logged and changes nothing.
     *
     * @return whether the list was applied
     */
    public boolean syncFromHeartbeat(Object crons) {
        Object root = crons;
        synchronized (this) {
            if (closed) {
                return false;
            }
        }
        try {
            if (crons instanceof String) {
                root = LightJson.parse((String) crons);
            }
            if (root instanceof Map && version().equals(String.valueOf(((Map<?, ?>) root).get("version")))) {
                return false;
            }
            sync(CronList.parse(root, ip));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("agent {}: the crons of the heartbeat answer are not usable, kept version {}: {}", ip, version(),
                    e.getMessage());
            return false;
        }
    }

    public synchronized String version() {
        return version;
    }

    /** The ids of the crons held, in list order. */
    public synchronized List<String> ids() {
        return List.copyOf(crons.keySet());
    }

    /** The scheduled time of the cron's last run, null when it has not fired (or is unknown). */
    public synchronized Instant lastFired(String id) {
        Slot s = crons.get(id);
        return s == null ? null : s.lastFired;
    }

    /** Stops firing; what has fired is in the state file already. */
    @Override
    public synchronized void close() {
        closed = true;
        crons.values().forEach(AgentCrons::cancel);
    }

    private void schedule(Slot s, Instant now) {
        s.nextAt = s.rule.nextAfter(now);
        if (s.nextAt == null) {
            LOG.info("agent {}: cron {} has no future time; it will not fire again", ip, s.entry.id());
            return;
        }
        arm(s, now);
    }

    private void arm(Slot s, Instant now) {
        long delayNanos = Math.max(0, Duration.between(now, s.nextAt).toNanos());
        try {
            s.future = timer.schedule(() -> wake(s), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the shared timer is shutting down: the agent is closing
            s.future = null;
        }
    }

    private void wake(Slot s) {
        Instruct ins = null;
        synchronized (this) {
            if (closed || crons.get(s.entry.id()) != s || s.nextAt == null) {
                return;
            }
            Instant now = clock.instant();
            if (now.isBefore(s.nextAt)) {
                // the timer's clock ran ahead of the wall clock: wait for the rest
                arm(s, now);
                return;
            }
            // normally nextAt itself; a later time when this wake-up came late (machine paused)
            Instant due = s.rule.latestBetween(s.nextAt.minusMillis(1), now);
            if (due == null) {
                due = s.nextAt;
            }
            boolean late = Duration.between(due, now).compareTo(LATE_LIMIT) > 0;
            if (late && misfire == MisfirePolicy.SKIP) {
                LOG.warn("agent {}: cron {} woke {} ms after its time {}; skipped (cron.misfire = skip)", ip,
                        s.entry.id(), Duration.between(due, now).toMillis(), due);
            } else if (s.lastFired == null || due.isAfter(s.lastFired)) {
                s.lastFired = due;
                // kept before the run starts: a restart must not run this time again
                save();
                ins = s.entry.instruct(ip, due);
            }
            schedule(s, now);
        }
        if (ins != null) {
            run(ins);
        }
    }

    private void run(Instruct ins) {
        try {
            LOG.debug("agent {}: cron run {} (app {} func {})", ip, ins.getId(), ins.getApp(), ins.getFunc());
            runner.accept(ins);
        } catch (RuntimeException e) {
            LOG.error("agent {}: cron run {} not started", ip, ins.getId(), e);
        }
    }

    private static void cancel(Slot s) {
        if (s.future != null) {
            s.future.cancel(false);
            s.future = null;
        }
        s.nextAt = null;
    }

    private void save() {
        List<Object> list = new ArrayList<>(crons.size());
        for (Slot s : crons.values()) {
            Map<String, Object> m = s.entry.toJson();
            m.put("since", s.sinceMillis);
            m.put("lastFired", s.lastFired == null ? null : s.lastFired.toEpochMilli());
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", version);
        root.put("crons", list);
        try {
            AtomicFiles.write(stateFile, LightJson.writeValue(root).getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException | RuntimeException e) {
            LOG.error("agent {}: agent-side crons not saved to {} ({}); a restart would lose them", ip, stateFile,
                    e.toString());
        }
    }

    private void load() {
        Object root;
        try {
            root = AtomicFiles.readJson(stateFile);
        } catch (IOException | RuntimeException e) {
            LOG.error("agent {}: agent-side crons in {} not readable ({}); starting without, until the center sends"
                    + " them again", ip, stateFile, e.toString());
            return;
        }
        if (root == null) {
            return;
        }
        if (!(root instanceof Map) || !(((Map<?, ?>) root).get("crons") instanceof List)) {
            LOG.error("agent {}: {} is not an agent-side cron list; starting without", ip, stateFile);
            return;
        }
        Map<?, ?> m = (Map<?, ?>) root;
        version = m.get("version") == null ? "" : m.get("version").toString();
        long now = clock.millis();
        for (Object item : (List<?>) m.get("crons")) {
            try {
                CronEntry e = CronEntry.from(item);
                Map<?, ?> fields = (Map<?, ?>) item;
                long since = fields.get("since") instanceof Number ? ((Number) fields.get("since")).longValue() : now;
                Instant last = fields.get("lastFired") instanceof Number
                        ? Instant.ofEpochMilli(((Number) fields.get("lastFired")).longValue()) : null;
                crons.put(e.id(), new Slot(e, e.parseRule(), since, last));
            } catch (IllegalArgumentException e) {
                LOG.error("agent {}: a cron kept in {} skipped: {}", ip, stateFile, e.getMessage());
            }
        }
    }
}

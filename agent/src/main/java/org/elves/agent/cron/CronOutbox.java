package org.elves.agent.cron;

import org.apache.thrift.TException;
import org.elves.agent.LightJson;
import org.elves.agent.LogThrottle;
import org.elves.protocol.thrift.Instruct;
import org.elves.protocol.thrift.Reinstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The results of agent-side cron runs on their way to the scheduler, kept on disk so none is lost
 * while the center is down or the agent restarts. Each result is first written atomically to
 * {@code <dir>/<run id, file-safe>.json}; one sender at a time delivers the files oldest first,
 * deletes each once the scheduler took it, and retries a failure after a pause (1 s doubling to
 * 30 s) for as long as it takes. At most {@code max} results wait: beyond that the oldest is
 * dropped with an ERROR log. A crash between delivery and deletion delivers that result once
 * more after the restart; the center refuses a second run of one run id.
 */
public final class CronOutbox implements AutoCloseable {
    static final long FIRST_PAUSE_MILLIS = 1000;
    static final long MAX_PAUSE_MILLIS = 30_000;
    private static final String SUFFIX = ".json";
    private static final Logger LOG = LoggerFactory.getLogger(CronOutbox.class);

    /** Delivers one result, e.g. {@code SchedulerService.dataTransport}; throws when it did not. */
    @FunctionalInterface
    public interface Sender {
        void send(Reinstruct reins) throws TException;
    }

    private final String ip;
    private final Path dir;
    private final int max;
    private final Sender sender;
    private final Executor worker;
    private final ScheduledExecutorService retryTimer;
    private final LogThrottle failures = new LogThrottle(60_000);
    /** file names, oldest first. */
    private final LinkedHashSet<String> pending = new LinkedHashSet<>();
    /** results whose file could not be written: delivered from memory, lost on a restart. */
    private final Map<String, Reinstruct> unsaved = new ConcurrentHashMap<>();
    private String inFlight;
    private boolean draining;
    private boolean closed;
    private long pauseMillis = FIRST_PAUSE_MILLIS;
    private long failedAttempts;
    private ScheduledFuture<?> retry;

    /**
     * @param worker     runs the sender (it blocks on the network); shared by the agents of a fleet
     * @param retryTimer waits out the pauses between attempts
     */
    public CronOutbox(String ip, Path dir, int max, Sender sender, Executor worker, ScheduledExecutorService retryTimer) {
        this.ip = ip;
        this.dir = dir;
        this.max = max;
        this.sender = sender;
        this.worker = worker;
        this.retryTimer = retryTimer;
    }

    /** Picks up the results a previous run of the agent left undelivered and starts sending them. */
    public void start() {
        List<Path> found = new ArrayList<>();
        Map<Path, FileTime> times = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
                    Files.deleteIfExists(f); // a write the last run did not finish: its result was never handed over
                } else if (name.endsWith(SUFFIX)) {
                    found.add(f);
                    times.put(f, Files.getLastModifiedTime(f));
                }
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            LOG.error("agent {}: cron results in {} not readable: {}", ip, dir, e.toString());
            return;
        }
        found.sort(Comparator.comparing((Path f) -> times.get(f)).thenComparing(f -> f.getFileName().toString()));
        synchronized (this) {
            for (Path f : found) {
                pending.add(f.getFileName().toString());
            }
            if (!found.isEmpty()) {
                LOG.info("agent {}: {} agent-side cron result(s) from before the restart wait for the scheduler",
                        ip, found.size());
            }
            dropOverBound();
            kick();
        }
    }

    /** Keeps the result on disk, then has it sent. Never throws. */
    public void add(Reinstruct reins) {
        String runId = reins.getIns() == null ? null : reins.getIns().getId();
        String name = fileName(runId == null || runId.isEmpty() ? "unnamed-" + System.nanoTime() : runId);
        try {
            AtomicFiles.write(dir.resolve(name), LightJson.writeValue(toJson(reins)).getBytes(StandardCharsets.UTF_8), true);
        } catch (IOException | RuntimeException e) {
            unsaved.put(name, reins);
            LOG.error("agent {}: cron result {} not written to {} ({}); it is kept in memory only", ip, runId, dir,
                    e.toString());
        }
        synchronized (this) {
            pending.remove(name);
            pending.add(name);
            dropOverBound();
            kick();
        }
    }

    /** How many results wait for the scheduler. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    public Path dir() {
        return dir;
    }

    /** Stops sending; what is not delivered stays on disk for the next start. */
    @Override
    public synchronized void close() {
        closed = true;
        if (retry != null) {
            retry.cancel(false);
        }
    }

    private void dropOverBound() {
        Iterator<String> oldest = pending.iterator();
        while (pending.size() > max && oldest.hasNext()) {
            String name = oldest.next();
            if (name.equals(inFlight)) {
                continue;
            }
            oldest.remove();
            unsaved.remove(name);
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                LOG.warn("agent {}: {} not deleted: {}", ip, dir.resolve(name), e.toString());
            }
            LOG.error("agent {}: cron result {} DROPPED undelivered: more than cron.outboxmax = {} results wait for"
                    + " the scheduler", ip, runId(name), max);
        }
    }

    /** Starts the sender unless it runs or waits for a retry already. Holding the lock. */
    private void kick() {
        if (draining || closed || pending.isEmpty()) {
            return;
        }
        draining = true;
        try {
            worker.execute(this::drain);
        } catch (RejectedExecutionException e) {
            draining = false; // the agent is closing; the files stay for the next start
        }
    }

    private void drain() {
        while (true) {
            String name;
            synchronized (this) {
                inFlight = null;
                if (closed || pending.isEmpty()) {
                    draining = false;
                    return;
                }
                name = pending.iterator().next();
                inFlight = name;
            }
            Reinstruct reins = unsaved.containsKey(name) ? unsaved.get(name) : read(dir.resolve(name));
            if (reins == null) {
                synchronized (this) {
                    pending.remove(name);
                }
                continue;
            }
            try {
                sender.send(reins);
            } catch (TException | RuntimeException e) {
                failed(e);
                return;
            }
            long failedBefore;
            synchronized (this) {
                pending.remove(name);
                unsaved.remove(name);
                pauseMillis = FIRST_PAUSE_MILLIS;
                failedBefore = failedAttempts;
                failedAttempts = 0;
            }
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                LOG.error("agent {}: delivered cron result {} not deleted ({}); it may be delivered again after a"
                        + " restart", ip, runId(name), e.toString());
            }
            if (failedBefore > 0) {
                failures.reset();
                LOG.info("agent {}: cron results reach the scheduler again (after {} failed attempt(s))", ip, failedBefore);
            }
        }
    }

    private void failed(Exception e) {
        int waiting;
        long pause;
        synchronized (this) {
            inFlight = null;
            failedAttempts++;
            waiting = pending.size();
            pause = pauseMillis;
            pauseMillis = Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
            if (closed) {
                draining = false;
                return;
            }
            try {
                retry = retryTimer.schedule(this::retry, pause, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                draining = false;
                return;
            }
        }
        long suppressed = failures.permit();
        if (suppressed >= 0) {
            LOG.warn("agent {}: {} agent-side cron result(s) wait for the scheduler ({}); retrying in {} ms{}", ip,
                    waiting, e.toString(), pause, suppressed > 0 ? " (" + suppressed + " more failures since the last warning)" : "");
        }
    }

    private void retry() {
        try {
            worker.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                draining = false;
            }
        }
    }

    private Reinstruct read(Path file) {
        try {
            return fromJson(LightJson.parse(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".bad");
            LOG.error("agent {}: cron result file {} is unreadable ({}); moved to {}", ip, file, e.toString(), aside);
            try {
                Files.move(file, aside);
            } catch (IOException ignored) {
                // it stays; the next start tries again
            }
            return null;
        }
    }

    /** The run id as a file name: letters, digits, '.', '-', '@' kept, every other byte as _XX. */
    static String fileName(String runId) {
        byte[] bytes = runId.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length + SUFFIX.length());
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '@' || (c == '.' && i > 0);
            if (plain) {
                b.append((char) c);
            } else {
                b.append('_').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.append(SUFFIX).toString();
    }

    /** The run id a file name stands for. */
    static String runId(String fileName) {
        String s = fileName.endsWith(SUFFIX) ? fileName.substring(0, fileName.length() - SUFFIX.length()) : fileName;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static Map<String, Object> toJson(Reinstruct r) {
        Map<String, Object> m = new LinkedHashMap<>();
        Instruct i = r.getIns();
        if (i != null) {
            Map<String, Object> ins = new LinkedHashMap<>();
            ins.put("id", i.getId());
            ins.put("ip", i.getIp());
            ins.put("type", i.getType());
            ins.put("mode", i.getMode());
            ins.put("app", i.getApp());
            ins.put("func", i.getFunc());
            ins.put("param", i.getParam());
            ins.put("timeout", i.getTimeout());
            ins.put("proxy", i.getProxy());
            m.put("ins", ins);
        }
        m.put("flag", r.getFlag());
        m.put("costtime", r.getCosttime());
        m.put("result", r.getResult());
        return m;
    }

    static Reinstruct fromJson(Object root) throws IOException {
        if (!(root instanceof Map)) {
            throw new IOException("not a JSON object");
        }
        Map<?, ?> m = (Map<?, ?>) root;
        Reinstruct r = new Reinstruct();
        if (m.get("ins") instanceof Map) {
            Map<?, ?> i = (Map<?, ?>) m.get("ins");
            r.setIns(new Instruct(str(i.get("id")), str(i.get("ip")), str(i.get("type")), str(i.get("mode")),
                    str(i.get("app")), str(i.get("func")), str(i.get("param")), num(i.get("timeout")), str(i.get("proxy"))));
        }
        r.setFlag(num(m.get("flag")));
        r.setCosttime(num(m.get("costtime")));
        r.setResult(str(m.get("result")));
        return r;
    }

    private static String str(Object v) {
        return v == null ? null : v.toString();
    }

    private static int num(Object v) {
        return v instanceof Number ? ((Number) v).intValue() : 0;
    }
}

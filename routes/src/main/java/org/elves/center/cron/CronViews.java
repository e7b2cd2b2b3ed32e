package org.elves.center.cron;

import org.bson.Document;
import org.elves.protocol.CronRule;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ElvesTime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** How a cron is shown: in full by cronDetail, as a summary in cronList; times as the reference formats them. */
class CronViews {
    private final LongSupplier clock;

    CronViews(LongSupplier clock) {
        this.clock = clock;
    }

    Map<String, Object> detail(Document cron) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (String field : List.of("ip", "app", "func", "param", "mode", "proxy", "timeout", "rule", "timezone", "side", "cron_flag")) {
            d.put(field, cron.get(field));
        }
        d.put("id", cron.getString("_id"));
        d.put("create_time", ElvesTime.format(cron.get("create_time", 0L)));
        d.put("next_fire_time", nextFire(cron));
        d.put("last_fire_time", ElvesTime.format(lastFire(cron)));
        d.put("last_exec_time", ElvesTime.format(cron.get("last_exec_time", 0L)));
        Object last = cron.get("last_exec_result");
        d.put("last_exec_result", last == null ? Map.of() : last);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Document run : CronRuns.history(cron)) {
            Map<String, Object> r = new LinkedHashMap<>(run);
            r.put("fire_time", ElvesTime.format(run.get("fire_time", 0L)));
            r.put("end_time", ElvesTime.format(run.get("end_time", 0L)));
            runs.add(r);
        }
        d.put("history", runs);
        return d;
    }

    Map<String, Object> summary(Document cron) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", cron.getString("_id"));
        for (String field : List.of("app", "func", "mode", "rule", "timezone", "side", "cron_flag")) {
            s.put(field, cron.get(field));
        }
        s.put("next_fire_time", nextFire(cron));
        s.put("last_exec_time", ElvesTime.format(cron.get("last_exec_time", 0L)));
        return s;
    }

    /** The scheduled time of the latest run whose result came (fired runs without one yet are not shown). */
    private static long lastFire(Document cron) {
        return cron.get("last_exec_fire", 0L);
    }

    private String nextFire(Document cron) {
        if (cron.getInteger("cron_flag", 0) != 1) {
            return "";
        }
        try {
            Instant next = CronRule.parse(cron.getString("rule"), cron.getString("timezone"))
                    .nextAfter(Instant.ofEpochMilli(clock.getAsLong()));
            return next == null ? "" : ElvesTime.format(next.toEpochMilli());
        } catch (ElvesException e) {
            return "";
        }
    }
}

package org.elves.bench;

import org.elves.agent.config.AgentSettings;
import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.cron.CronFiring;
import org.elves.center.cron.FireDelays;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import org.elves.config.ElvesConfig;
import org.elves.standalone.LocalCluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Cron figures of design §7 (issue 5): {@code --crons} center crons firing every
 * {@code --every} seconds over {@code --agents} agents (no-op shell worker); over
 * {@code --seconds} of firing, how late each run's asyncJob left the leader against its scheduled
 * time (p50/p99/max) and how many runs fired. Then fail-over: two Cron instances, the leader
 * stopped, the time until the other fires as leader ({@code --failovers} times). Heartbeat,
 * Scheduler, Queue and OpenAPI run in this JVM with the agents; the two Cron instances too.
 */
public final class CronBench {

    public static void main(String[] args) throws Exception {
        org.elves.protocol.JvmDefaults.apply();
        Map<String, Integer> o = Options.parse(args, Map.of("crons", 1000, "every", 5, "agents", 20, "seconds", 60, "failovers", 3));
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < o.get("agents"); i++) {
            fleet.add("127.0.3." + (1 + i));
        }
        List<Component> others = List.of(Component.HEARTBEAT, Component.SCHEDULER, Component.QUEUE, Component.OPENAPI);
        try (LocalCluster cluster = LocalCluster.builder().components(others).agentHeartbeatSeconds(10).start()) {
            cluster.startAgents(fleet, b -> b.port(AgentSettings.DEFAULT_PORT));
            cluster.awaitOnline(fleet, Duration.ofSeconds(60));
            Center leader = startCron(cluster);
            ElvesApiClient api = new ElvesApiClient(new ApiTarget(URI.create(cluster.apiUrl()), cluster.authId(), cluster.authKey()));
            System.out.printf("# Elves cron benchmark (%d cores, Java %s): %d center crons every %d s over %d agents, no-op shell worker%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), o.get("crons"),
                    o.get("every"), fleet.size());
            long addStart = System.nanoTime();
            List<String> ids = add(api, fleet, o.get("crons"), "0/" + o.get("every") + " * * * * ?");
            System.out.printf("added %d crons in %.1f s%n", o.get("crons"), (System.nanoTime() - addStart) / 1e9);

            FireDelays delays = firing(leader).delays();
            Thread.sleep(o.get("every") * 2000L);
            delays.clear();
            Thread.sleep(o.get("seconds") * 1000L);
            System.out.printf("firing delay (scheduled time to asyncJob cast), %d runs in %d s: p50 %d ms, p99 %d ms, max %d ms%n",
                    delays.count(), o.get("seconds"), delays.percentile(50), delays.percentile(99), delays.percentile(100));
            checkRuns(api, ids, fleet);

            // fail-over: a second instance waits; the leader stops; how long until the other fires
            for (int i = 1; i <= o.get("failovers"); i++) {
                Center standby = startCron(cluster);
                Thread.sleep(2000);
                long stopped = System.currentTimeMillis();
                leader.close();
                CronFiring next = firing(standby);
                while (next.leadingSince() == 0) {
                    Thread.sleep(10);
                }
                System.out.printf("fail-over %d: leader stopped, the standby fired as leader %d ms later%n", i, next.leadingSince() - stopped);
                leader = standby;
            }
            leader.close();
        }
        System.exit(0);
    }

    private static Center startCron(LocalCluster cluster) throws Exception {
        ElvesConfig config = Center.configFor(List.of(Component.CRON)).overrides(cluster.sharedSettings()).build();
        return Center.start(config, List.of(Component.CRON));
    }

    private static CronFiring firing(Center center) {
        return center.context().getRegistry().lookupByNameAndType("cronFiring", CronFiring.class);
    }

    /** The runs really happened: one cron per agent, its recorded runs and how many succeeded. */
    private static void checkRuns(ElvesApiClient api, List<String> ids, List<String> fleet) {
        int recorded = 0;
        int ok = 0;
        int sampled = Math.min(fleet.size(), ids.size());
        for (String id : ids.subList(0, sampled)) {
            ApiResponse detail = api.call("/api/v2/cron/detail", Map.of("cron_id", id), Duration.ofSeconds(30));
            for (com.fasterxml.jackson.databind.JsonNode run : detail.result().get("history")) {
                recorded++;
                ok += "1".equals(run.get("worker_flag").asText()) ? 1 : 0;
            }
        }
        System.out.printf("runs recorded for %d sampled crons: %d, worker_flag 1: %d%n", sampled, recorded, ok);
    }

    private static List<String> add(ElvesApiClient api, List<String> fleet, int crons, String rule) throws Exception {
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService adders = Executors.newFixedThreadPool(8);
        List<Future<?>> added = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            added.add(adders.submit(() -> {
                for (int i = thread; i < crons; i += 8) {
                    Map<String, String> params = new LinkedHashMap<>();
                    params.put("ip", fleet.get(i % fleet.size()));
                    params.put("app", "shelltest");
                    params.put("func", "noop");
                    params.put("rule", rule);
                    params.put("timeout", "30");
                    ApiResponse r = api.call("/api/v2/cron/add", params, Duration.ofSeconds(60));
                    if (!r.ok()) {
                        throw new IllegalStateException(r.error());
                    }
                    ids.add(r.resultText("id"));
                }
                return null;
            }));
        }
        for (Future<?> f : added) {
            f.get();
        }
        adders.shutdown();
        return ids;
    }
}

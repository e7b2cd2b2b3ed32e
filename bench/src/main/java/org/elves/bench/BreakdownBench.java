package org.elves.bench;

import org.elves.agent.config.AgentSettings;
import org.elves.center.Component;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import org.elves.standalone.LocalCluster;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where a realtime call's time goes: an API call that makes one rpc.call (info/agents), a
 * realtime call without and with the Heartbeat online check.
 */
public final class BreakdownBench {

    public static void main(String[] args) throws Exception {
        org.elves.protocol.JvmDefaults.apply();
        Map<String, Integer> o = Options.parse(args, Map.of("calls", 500));
        int calls = o.get("calls");
        for (boolean check : new boolean[]{false, true}) {
            try (LocalCluster cluster = LocalCluster.builder().components(List.of(Component.values()))
                    .setting("elves.scheduler.check-online", String.valueOf(check)).start()) {
                cluster.startAgents(List.of("127.0.0.2"), b -> b.port(AgentSettings.DEFAULT_PORT));
                cluster.awaitOnline(List.of("127.0.0.2"), Duration.ofSeconds(20));
                ElvesApiClient api = new ElvesApiClient(new ApiTarget(URI.create(cluster.apiUrl()), cluster.authId(), cluster.authKey()));
                if (!check) {
                    measure("HTTP, signature check, no rpc (a 403.3 answer)", calls,
                            () -> expectError(api.call("/api/v2/rt/exec", Map.of("ip", "127.0.0.2"), Duration.ofSeconds(10))));
                    org.apache.camel.ProducerTemplate template = cluster.center().context().createProducerTemplate();
                    measure("rpc.call to heartbeat in-process (no HTTP)", calls, () -> {
                        org.apache.camel.Exchange ex = template.send("direct:rpc-call", e -> {
                            e.setProperty("ElvesTo", "heartbeat");
                            e.setProperty("ElvesFunc", "getOnlineStat");
                            e.getMessage().setBody(new java.util.HashMap<String, Object>());
                        });
                        return ApiResponse.answer(200, org.elves.protocol.Json.text(ex.getMessage().getBody()));
                    });
                    measure("info/agents (one rpc.call to heartbeat)", calls,
                            () -> api.call("/api/v2/info/agents", Map.of(), Duration.ofSeconds(10)));
                }
                measure("rt/exec shelltest.noop, online check " + (check ? "on" : "off"), calls,
                        () -> api.call("/api/v2/rt/exec", Map.of("ip", "127.0.0.2", "app", "shelltest", "func", "noop"),
                                Duration.ofSeconds(10)));
            }
        }
        System.exit(0);
    }

    private static void measure(String what, int calls, java.util.function.Supplier<ApiResponse> call) {
        for (int i = 0; i < calls / 2; i++) {
            ok(call.get());
        }
        long[] micros = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            ok(call.get());
            micros[i] = (System.nanoTime() - t) / 1000;
        }
        Arrays.sort(micros);
        System.out.printf("%-50s p50 %.2f ms  p99 %.2f ms%n", what, micros[calls / 2] / 1000.0,
                micros[(int) (calls * 0.99) - 1] / 1000.0);
    }

    private static ApiResponse expectError(ApiResponse r) {
        if (r.ok() || !r.answered()) {
            throw new IllegalStateException("expected a coded error");
        }
        return ApiResponse.answer(200, "{\"flag\":\"true\",\"error\":\"\"}");
    }

    private static void ok(ApiResponse r) {
        if (!r.ok()) {
            throw new IllegalStateException(r.error());
        }
    }
}

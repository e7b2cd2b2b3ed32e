package org.elves.bench;

import org.elves.center.Center;
import org.elves.center.Component;
import org.elves.center.openapi.ApiGuard;
import org.elves.center.openapi.ApiRequest;
import org.elves.center.openapi.SupervisorKeys;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ApiSignature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What checking a request costs OpenAPI (issue 6 item 2: "well under a millisecond"): the guard
 * with {@code --keys} Supervisor keys cached (each granted one app on {@code --agents} agents),
 * verifying signed realtime requests of one of them: signature, key lookup, grants, and for
 * hmac-sha256 the nonce check. In-process, no HTTP: the figure is the guard's own.
 */
public final class AuthBench {

    public static void main(String[] args) {
        Map<String, Integer> o = Options.parse(args, Map.of("keys", 10_000, "agents", 100, "requests", 200_000));
        try (ElvesConfig config = Center.configFor(List.of(Component.OPENAPI)).build()) {
            SupervisorKeys keys = new SupervisorKeys(config);
            List<Object> table = new ArrayList<>();
            List<String> agents = new ArrayList<>();
            for (int a = 0; a < o.get("agents"); a++) {
                agents.add("10.0." + (a / 250) + "." + (a % 250 + 1));
            }
            for (int k = 0; k < o.get("keys"); k++) {
                table.add(Map.of("auth_id", String.format("%016X", k), "secret", "secret-" + k, "admin", false,
                        "strong_only", false, "grants", Map.of("app" + k, agents)));
            }
            keys.answered(Map.of("flag", "true", "error", "", "result", Map.of("version", "1", "changed", true, "keys", table)));
            ApiGuard guard = new ApiGuard(keys, config, () -> System.currentTimeMillis() / 1000);
            System.out.printf("# Elves auth benchmark (Java %s): %d keys cached, %d agents granted each%n",
                    System.getProperty("java.version"), o.get("keys"), o.get("agents"));
            for (String type : List.of(ApiSignature.MD5, ApiSignature.HMAC_SHA256)) {
                for (int round = 1; round <= 3; round++) {
                    int n = o.get("requests");
                    List<ApiRequest> requests = requests(type, n, o.get("keys"), agents, round);
                    long t0 = System.nanoTime();
                    for (ApiRequest r : requests) {
                        guard.verify(r);
                    }
                    double micros = (System.nanoTime() - t0) / 1e3 / n;
                    System.out.printf("%s round %d: %.2f µs per request checked (%d requests)%n", type, round, micros, n);
                }
            }
        }
    }

    private static List<ApiRequest> requests(String type, int n, int keyCount, List<String> agents, int round) {
        List<ApiRequest> requests = new ArrayList<>(n);
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        for (int i = 0; i < n; i++) {
            int k = i % keyCount;
            Map<String, String> p = new LinkedHashMap<>();
            p.put("ip", agents.get(i % agents.size()));
            p.put("app", "app" + k);
            p.put("func", "helloword");
            p.put("param", "{\"my\":\"bench\"}");
            p.put("timeout", "30");
            p.put("auth_id", String.format("%016X", k));
            p.put("timestamp", ts);
            p.put("sign_type", type);
            String secret = "secret-" + k;
            if (type.equals(ApiSignature.MD5)) {
                p.put("sign", ApiSignature.sign("/api/v2/rt/exec", p, secret));
            } else {
                p.put("nonce", String.format("r%dn%015d", round, i));
                p.put("sign", ApiSignature.hmacSign("GET", "/api/v2/rt/exec", p, secret));
            }
            requests.add(ApiRequest.parse("GET", "/api/v2/rt/exec", query(p), (String) null));
        }
        return requests;
    }

    private static String query(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return q.toString();
    }
}

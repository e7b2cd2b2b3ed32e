package org.elves.it;

import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiTarget;
import org.elves.cli.api.ElvesApiClient;
import org.elves.cli.api.Md5Signer;
import org.elves.standalone.LocalCluster;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The signed API as a user's program calls it (the CLI's client). */
final class Api {
    private final ElvesApiClient client;

    private Api(ElvesApiClient client) {
        this.client = client;
    }

    static Api of(LocalCluster cluster) {
        return as(cluster, cluster.authId(), cluster.authKey(), Clock.systemUTC());
    }

    static Api as(LocalCluster cluster, String authId, String key, Clock clock) {
        return new Api(new ElvesApiClient(new ApiTarget(URI.create(cluster.apiUrl()), authId, key), Md5Signer.INSTANCE, clock));
    }

    ApiResponse rt(String ip, String app, String func, String param, int timeout) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ip", ip);
        params.put("app", app);
        params.put("func", func);
        if (param != null) {
            params.put("param", param);
        }
        params.put("timeout", String.valueOf(timeout));
        return call("/api/v2/rt/exec", params);
    }

    ApiResponse call(String path, Map<String, String> params) {
        return client.call(path, params, Duration.ofSeconds(60));
    }
}

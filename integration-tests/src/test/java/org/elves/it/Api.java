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
    private final OpenApiAnswers document;

    private Api(ElvesApiClient client, OpenApiAnswers document) {
        this.client = client;
        this.document = document;
    }

    static Api of(LocalCluster cluster) {
        return as(cluster, cluster.authId(), cluster.authKey(), Clock.systemUTC());
    }

    static Api as(LocalCluster cluster, String authId, String key, Clock clock) {
        return at(cluster.apiUrl(), authId, key, Md5Signer.INSTANCE, clock);
    }

    /** The API of one OpenAPI instance among several, signed by {@code signer}. */
    static Api at(String apiUrl, String authId, String key, org.elves.cli.api.RequestSigner signer, Clock clock) {
        return new Api(new ElvesApiClient(new ApiTarget(URI.create(apiUrl), authId, key), signer, clock),
                OpenApiAnswers.of(apiUrl));
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

    /** A signed call; its answer is checked against the center's OpenAPI document. */
    ApiResponse call(String path, Map<String, String> params) {
        ApiResponse answer = client.call(path, params, Duration.ofSeconds(60));
        document.check("GET", path, answer);
        return answer;
    }

    /** Polls /api/v2/queue/result as a user would until {@code done} holds; fails with the last result. */
    com.fasterxml.jackson.databind.JsonNode queueResultWhen(String queue,
            java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> done, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        com.fasterxml.jackson.databind.JsonNode result = null;
        while (System.nanoTime() < deadline) {
            ApiResponse r = call("/api/v2/queue/result", Map.of("queue_id", queue));
            if (r.ok()) {
                result = r.result();
                if (done.test(result)) {
                    return result;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("queue " + queue + " not done within " + limit + ": " + result);
    }

    /** Whether no task of a queue result is pendding or running. */
    static boolean allTerminal(com.fasterxml.jackson.databind.JsonNode result) {
        for (com.fasterxml.jackson.databind.JsonNode task : result) {
            String status = task.get("status").asText();
            if (status.equals("pendding") || status.equals("running")) {
                return false;
            }
        }
        return true;
    }

    /** Polls /api/v2/cron/detail as a user would until {@code done} holds; fails with the last detail. */
    com.fasterxml.jackson.databind.JsonNode cronDetailWhen(String cronId,
            java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> done, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        com.fasterxml.jackson.databind.JsonNode detail = null;
        while (System.nanoTime() < deadline) {
            ApiResponse r = call("/api/v2/cron/detail", Map.of("cron_id", cronId));
            if (r.ok()) {
                detail = r.result();
                if (done.test(detail)) {
                    return detail;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("cron " + cronId + " not as awaited within " + limit + ": " + detail);
    }

    /**
     * POSTs a package to /api/v2/admin/app/upload as a program would: the signed parameters in
     * the query (MD5 here: any scheme the key accepts), the zip as the body.
     */
    static ApiResponse upload(LocalCluster cluster, String app, String version, byte[] zip) throws Exception {
        Map<String, String> params = new java.util.TreeMap<>();
        params.put("app", app);
        params.put("version", version);
        params.put("sha256", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(zip)));
        params.put("auth_id", cluster.authId());
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        String path = "/api/v2/admin/app/upload";
        params.put("sign", org.elves.protocol.ApiSignature.sign(path, params, cluster.authKey()));
        params.put("sign_type", "md5");
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path + query))
                        .header("Content-Type", "application/zip")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(zip)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        ApiResponse answer = ApiResponse.answer(response.statusCode(), response.body());
        OpenApiAnswers.of(cluster.apiUrl()).check("POST", path, answer);
        return answer;
    }
}

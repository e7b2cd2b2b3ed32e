package org.elves.it;

import org.elves.protocol.ApiSignature;
import org.elves.standalone.LocalCluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * /api/v2/logs/output read as a program reads server-sent events: a signed GET whose answer is
 * read line by line as it comes; each event (name and data) is handed over with the time it arrived.
 */
final class LiveOutput implements AutoCloseable {
    record Event(String name, String data, long atMs) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile int status;

    private LiveOutput(HttpRequest request) {
        reader = new Thread(() -> read(request), "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream of a task (it may not have started yet) as the cluster's admin key. */
    static LiveOutput open(LocalCluster cluster, String taskId) {
        Map<String, String> params = new TreeMap<>();
        params.put("task_id", taskId);
        params.put("auth_id", cluster.authId());
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        String path = "/api/v2/logs/output";
        params.put("sign", ApiSignature.sign(path, params, cluster.authKey()));
        params.put("sign_type", "md5");
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return new LiveOutput(HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path + query))
                .timeout(Duration.ofSeconds(120)).GET().build());
    }

    private void read(HttpRequest request) {
        try {
            HttpResponse<java.io.InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String name = "message";
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        events.add(new Event(name, line.substring(6), System.currentTimeMillis()));
                        name = "message";
                    }
                }
            }
        } catch (Exception e) {
            events.add(new Event("failed", String.valueOf(e), System.currentTimeMillis()));
        }
        events.add(new Event("closed", "", System.currentTimeMillis()));
    }

    /** The next event, or null when none came within the limit. */
    Event next(Duration limit) throws InterruptedException {
        return events.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every event until the stream closed (at most {@code limit} in all). */
    List<Event> rest(Duration limit) throws InterruptedException {
        List<Event> rest = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Event e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null) {
                rest.add(e);
                if (e.name().equals("closed")) {
                    break;
                }
            }
        }
        return rest;
    }

    int status() {
        return status;
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}

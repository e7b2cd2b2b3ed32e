package org.elves.it;

import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.elves.protocol.Json;
import org.elves.protocol.thrift.AgentInfo;
import org.elves.protocol.thrift.HeartbeatService;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test double of the original Go agent's app synchronisation (reference §8.4), speaking only
 * what it speaks: AgentInfo with its four fields (asset, ip, version, apps JSON of cfg.apps), and
 * on the answer's {@code data}: an app not installed or at another version is fetched from
 * {@code {appsdownloadaddr}/{app}_{version}.zip} (HTTP 200 required, no checksum) and set in
 * cfg.apps; an installed app absent from data is removed from cfg.apps. It reads nothing else.
 */
final class ReferenceAgent {
    private final String ip;
    private final int heartbeatPort;
    private final String appsDownloadAddr;
    private final HttpClient http = HttpClient.newHttpClient();
    /** cfg.apps */
    private final Map<String, String> apps = new TreeMap<>();
    /** apps/{app}/app-worker-package.zip */
    private final Map<String, byte[]> packages = new TreeMap<>();
    private final List<String> failedDownloads = new ArrayList<>();

    ReferenceAgent(String ip, int heartbeatPort, String appsDownloadAddr, Map<String, String> handInstalled) {
        this.ip = ip;
        this.heartbeatPort = heartbeatPort;
        this.appsDownloadAddr = appsDownloadAddr;
        apps.putAll(handInstalled);
    }

    /** One heartbeat, then the synchronisation of cfg.apps with the answer's data. */
    void beat() throws Exception {
        AgentInfo info = new AgentInfo("asset-" + ip, ip, "0.4.3", Json.text(apps));
        String answer;
        try (TSocket socket = new TSocket("127.0.0.1", heartbeatPort)) {
            socket.open();
            answer = new HeartbeatService.Client(new TBinaryProtocol(socket)).heartbeatPackage(info);
        }
        Map<String, Object> data = Json.object(answer).get("data") instanceof Map<?, ?> m
                ? Map.copyOf(cast(m)) : Map.of();
        apps.keySet().removeIf(app -> !data.containsKey(app));
        for (Map.Entry<String, Object> wanted : data.entrySet()) {
            String app = wanted.getKey();
            String version = String.valueOf(wanted.getValue());
            if (!version.equals(apps.get(app))) {
                install(app, version);
            }
        }
    }

    private void install(String app, String version) throws Exception {
        // the original joins with '/' although appsdownloadaddr ends with one: the URL holds "//"
        String url = appsDownloadAddr + "/" + app + "_" + version + ".zip";
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            failedDownloads.add(url + " -> " + response.statusCode());
            return;
        }
        packages.put(app, response.body());
        apps.put(app, version);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    Map<String, String> apps() {
        return Map.copyOf(apps);
    }

    byte[] installedPackage(String app) {
        return packages.get(app);
    }

    List<String> failedDownloads() {
        return List.copyOf(failedDownloads);
    }
}

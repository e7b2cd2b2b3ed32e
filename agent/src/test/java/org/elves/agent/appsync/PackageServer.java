package org.elves.agent.appsync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * What the center's package store does, for tests: serves bytes over plain HTTP on 127.0.0.1
 * (JDK's built-in server), counts requests, and can stall a download half-way once.
 */
final class PackageServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    /** Paths whose next request sends half the bytes and then waits for {@link #release}. */
    private final Map<String, Boolean> stallOnce = new ConcurrentHashMap<>();
    final CountDownLatch halfSent = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    PackageServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (ex) {
            byte[] body = files.get(path);
            Integer status = statuses.get(path);
            if (status != null || body == null) {
                ex.sendResponseHeaders(status == null ? 404 : status, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            OutputStream out = ex.getResponseBody();
            if (stallOnce.remove(path) != null) {
                out.write(body, 0, body.length / 2);
                out.flush();
                halfSent.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return; // the connection closes short of the announced length
            }
            out.write(body);
        } catch (IOException e) {
            // the agent went away mid-transfer
        }
    }

    /** Serves {@code bytes} at {@code /packages/<app>/<version>} and returns that URL. */
    String put(String app, String version, byte[] bytes) {
        String path = "/packages/" + app + "/" + version;
        files.put(path, bytes);
        return url(path);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void status(String app, String version, int status) {
        statuses.put("/packages/" + app + "/" + version, status);
    }

    void stallOnce(String app, String version) {
        stallOnce.put("/packages/" + app + "/" + version, Boolean.TRUE);
    }

    int requests(String app, String version) {
        AtomicInteger n = requests.get("/packages/" + app + "/" + version);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    // --- packages ---

    /** A zip with these entries (name → content) at its top level, as the center builds them. */
    static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A worker package: app-worker.sh answering {@code body} after {@code before} (shell lines). */
    static byte[] worker(String before, String answer) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("app-worker.sh", before + "printf '%s' '<ElvesWFlag>true</ElvesWFlag> <ElvesWResult>" + answer
                + "</ElvesWResult>'\n");
        entries.put("lib/readme.txt", "version " + answer + "\n");
        return zip(entries);
    }

    /**
     * Marks the named entry of a zip made by {@link #zip} as made on unix with this mode (e.g.
     * {@code 0120777} for a symbolic link), by patching its central directory record.
     */
    static byte[] withUnixMode(byte[] zip, String name, int mode) {
        byte[] out = zip.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p + 46 <= out.length; p++) {
            if (b.getInt(p) != 0x02014b50) {
                continue;
            }
            int nameLength = Short.toUnsignedInt(b.getShort(p + 28));
            if (nameLength == wanted.length && java.util.Arrays.equals(out, p + 46, p + 46 + nameLength, wanted, 0,
                    wanted.length)) {
                b.putShort(p + 4, (short) ((3 << 8) | 20));
                b.putInt(p + 38, mode << 16);
                return out;
            }
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

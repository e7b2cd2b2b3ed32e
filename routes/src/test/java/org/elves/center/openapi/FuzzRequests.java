package org.elves.center.openapi;

import org.elves.protocol.ApiSignature;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Malformed requests as an attacker would send them, from a seeded Random: a plausible call to
 * one of {@link #PATHS} with one kind of damage ({@link Kind}). Every request carries
 * {@link #MARKER} (in its path, a parameter or a header) so that a response header copying
 * anything from the request shows.
 */
final class FuzzRequests {
    static final String MARKER = "elfuzz";
    static final List<String> PATHS = List.of("/api/v2/info/app", "/api/v2/info/agents", "/api/v2/info/agents/detail",
            "/api/v2/rt/exec", "/api/v2/queue/create", "/api/v2/queue/addtask", "/api/v2/queue/commit",
            "/api/v2/queue/stop", "/api/v2/queue/result", "/api/v2/queue/qksqueue", "/api/v2/cron/add",
            "/api/v2/cron/start", "/api/v2/cron/stop", "/api/v2/cron/delete", "/api/v2/cron/detail",
            "/api/v2/cron/info", "/api/v2/cron/list", "/api/v2/admin/app/create", "/api/v2/admin/app/upload",
            "/api/v2/admin/app/online", "/api/v2/admin/app/deploy", "/api/v2/admin/app/list",
            "/api/v2/admin/app/status", "/api/v2/admin/key/create", "/api/v2/admin/key/grant",
            "/api/v2/admin/key/revoke", "/api/v2/admin/key/rotate", "/api/v2/admin/key/list",
            "/api/v2/admin/audit", "/packages/apptest/1.0.0", "/packages/" + MARKER + "/1.0", "/packages/apptest_1.0.0.zip",
            "/admin/", "/admin/index.html");
    /** What a Supervisor running without OpenAPI serves. */
    static final List<String> SUPERVISOR_PATHS = List.of("/packages/apptest/1.0.0", "/packages/" + MARKER + "/1.0",
            "/packages/apptest_1.0.0.zip", "/admin/", "/admin/index.html", "/api/v2/info/app");

    /**
     * The kinds of damage; {@link #oversize} ones may meet a bare 413, 414 or 431 from the HTTP layer
     * (a request line, header block or body over 64 KiB).
     */
    enum Kind {
        CONTROL_RAW(false), CONTROL_ESCAPED(false), BAD_ESCAPE(false), BAD_UTF8(false), OVERSIZE_VALUE(true),
        OVERSIZE_FORM(true), DEEP_JSON(true), ODD_PATH(false), REPEATED(false), METHOD(false), HEADER(false),
        UNKNOWN_PATH(false), SIGNED_GARBAGE(false);

        final boolean oversize;

        Kind(boolean oversize) {
            this.oversize = oversize;
        }
    }

    /** One request as bytes, with what it is for the failure message. */
    record Fuzz(Kind kind, String path, byte[] bytes) {
        String shown() {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            return kind + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text).replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    private final Random random;
    private final String secret;

    FuzzRequests(long seed, String secret) {
        this.random = new Random(seed);
        this.secret = secret;
    }

    Fuzz next(Kind kind, String path) {
        Request r = new Request(path);
        switch (kind) {
            case CONTROL_RAW -> r.query += "&v=" + MARKER + (char) pickInt(0, 1, 9, 10, 13, 27, 31, 127) + "x";
            case CONTROL_ESCAPED -> r.query += "&" + pick("param", "ip", "app", MARKER) + "=" + MARKER
                    + pick("%00", "%0D%0A", "%0d", "%0A", "%01", "%7F", "%00%00");
            case BAD_ESCAPE -> badEscape(r);
            case BAD_UTF8 -> r.query += "&app=" + MARKER + pick("%FF", "%C3%28", "%ED%A0%80", "%F0%28%8C%BC", "%C0%AF",
                    "\u00ff\u00fe", "%E2%82");
            case OVERSIZE_VALUE -> oversizeValue(r);
            case OVERSIZE_FORM -> oversizeForm(r);
            case DEEP_JSON -> deepJson(r);
            case ODD_PATH -> r.path = oddPath(path);
            case REPEATED -> repeated(r);
            case METHOD -> r.method = pick("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "get", "FOO", "CONNECT");
            case HEADER -> header(r);
            case UNKNOWN_PATH -> r.path = pick("/api/v2/", "/api/v2", "/api/v2/info", "/api/v2/rt", "/api/v2/x")
                    + pick("", MARKER, "/" + MARKER, "/../" + MARKER, "/%2e%2e/" + MARKER);
            case SIGNED_GARBAGE -> signedGarbage(r);
        }
        if (kind != Kind.CONTROL_RAW && kind != Kind.CONTROL_ESCAPED && kind != Kind.BAD_UTF8
                && !r.query.contains(MARKER) && !r.path.contains(MARKER)) {
            r.headers.add("X-Trace: " + MARKER);
        }
        return new Fuzz(kind, path, r.bytes());
    }

    private void badEscape(Request r) {
        String bad = pick("%", "%G1", "%4", "%zz", "%%", "%u0041", "%-1", "%%32%30");
        switch (random.nextInt(4)) {
            case 0 -> r.query += "&param=" + MARKER + bad;
            case 1 -> r.query += "&" + MARKER + bad + "=1";
            case 2 -> r.path += bad;
            default -> r.form("ip=" + MARKER + bad + "&app=x");
        }
    }

    private void oversizeValue(Request r) {
        int size = pickInt(5_000, 9_000, 20_000, 70_000);
        String value = MARKER + "a".repeat(size);
        switch (random.nextInt(3)) {
            case 0 -> r.query += "&param=" + value;
            case 1 -> r.form("param=" + value + "&ip=" + MARKER);
            default -> r.headers.add("X-Big: " + value);
        }
    }

    private void oversizeForm(Request r) {
        StringBuilder form = new StringBuilder("ip=" + MARKER);
        int fields = pickInt(300, 1_000, 5_000);
        for (int i = 0; i < fields; i++) {
            form.append("&f").append(i).append("=v");
        }
        r.form(random.nextBoolean() ? form.toString() : "param=" + "x".repeat(pickInt(70_000, 200_000)) + "&ip=" + MARKER);
    }

    private void deepJson(Request r) {
        int depth = pickInt(1_001, 5_000, 20_000);
        String json = "[".repeat(depth) + "]".repeat(depth);
        if (random.nextBoolean()) {
            r.query += "&param=" + json + "&" + MARKER + "=1";
        } else {
            r.body("application/json", json.getBytes(StandardCharsets.US_ASCII));
            r.query += "&" + MARKER + "=1";
        }
    }

    private String oddPath(String path) {
        String rest = path.substring(1);
        return pick("/", "//", "/./", "/rt/../", "/api/v2/rt/../", "/%2e%2e/", "/api/v2/../../", "\\", "/api/v2/./")
                + rest + pick("", "/", "//", "/.", "/..", "?" + MARKER) + (random.nextBoolean() ? "" : "/" + MARKER);
    }

    private void repeated(Request r) {
        String name = pick("auth_id", "sign", "ip", "app", "timestamp", MARKER);
        if (random.nextBoolean()) {
            r.query += "&" + name + "=" + MARKER + "&" + name + "=2";
        } else {
            r.form(name + "=" + MARKER + "&" + name + "=2");
        }
    }

    private void header(Request r) {
        switch (random.nextInt(6)) {
            case 0 -> r.body("multipart/form-data; boundary=" + MARKER, ("--" + MARKER + "\r\nbroken").getBytes(StandardCharsets.US_ASCII));
            case 1 -> r.body("application/x-www-form-urlencoded; charset=" + MARKER, "ip=1&app=2".getBytes(StandardCharsets.US_ASCII));
            case 2 -> r.headers.add("Content-Type: " + MARKER + "/\u00ff;;=");
            case 3 -> r.body("application/x-www-form-urlencoded", new byte[]{'i', 'p', '=', (byte) 0xff, (byte) 0xc0, '%', 0, '&'});
            case 4 -> r.headers.add("Cookie: " + MARKER + "=\u00ff\u0001; ; =;");
            default -> r.headers.add("Accept: " + MARKER + "\u00e9/*; q=x");
        }
    }

    /** Correctly signed, with a damaged business parameter: the checks after the signature. */
    private void signedGarbage(Request r) {
        Map<String, String> params = new TreeMap<>();
        params.put(pick("ip", "app", "func", "queue_id", "cron_id", "timeout", "param", "rule", "timezone", "side",
                "version", "agents", "limit", "showcron"), MARKER + pick("\u0000", "\r\n", "..", "\u00e9", "%", "'", "[[", "-1"));
        params.put("auth_id", "tester");
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        params.put("sign_type", "MD5");
        params.put("sign", ApiSignature.sign(r.path, params, secret));
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        r.query = q.toString();
        if (random.nextBoolean()) {
            r.method = "POST";
            r.form(r.query);
            r.query = "";
        }
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private int pickInt(int... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** A request being damaged: starts as an unsigned-looking GET with the four signature parameters. */
    private final class Request {
        String method = random.nextBoolean() ? "GET" : "POST";
        String path;
        String query = "auth_id=tester&timestamp=" + System.currentTimeMillis() / 1000 + "&sign_type=MD5&sign="
                + "0123456789abcdef".repeat(2);
        final List<String> headers = new ArrayList<>();
        byte[] body = new byte[0];

        Request(String path) {
            this.path = path;
        }

        void form(String text) {
            body("application/x-www-form-urlencoded", text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void body(String contentType, byte[] bytes) {
            method = "POST";
            headers.add("Content-Type: " + contentType);
            body = bytes;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String target = query.isEmpty() ? path : path + "?" + query;
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            headers.forEach(h -> head.append(h).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
            return out.toByteArray();
        }
    }
}

package org.elves.agent.appsync;

import org.elves.agent.runner.InstalledApps;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One entry of a heartbeat answer's {@code "packages"}:
 * {@code "app":{"version":"1.2","url":"http://...","sha256":"<64 hex>","size":12345}}.
 *
 * @param size the package's length in bytes; -1 when the center did not say
 */
record PackageRef(String app, String version, URI url, String sha256, long size) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * @throws IllegalArgumentException naming what is wrong with the entry
     */
    static PackageRef parse(String app, Object value) {
        if (!InstalledApps.isValidName(app)) {
            throw new IllegalArgumentException("not a valid app name");
        }
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("the package entry is not an object");
        }
        Map<?, ?> m = (Map<?, ?>) value;
        Object version = m.get("version");
        if (version == null || version.toString().isBlank()) {
            throw new IllegalArgumentException("the package entry has no version");
        }
        Object url = m.get("url");
        URI uri;
        try {
            uri = new URI(String.valueOf(url));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the package url is not a URL");
        }
        if (url == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException("the package url is not an http(s) URL");
        }
        String sha = m.get("sha256") == null ? "" : m.get("sha256").toString().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha).matches()) {
            throw new IllegalArgumentException("the package sha256 is not 64 hex digits");
        }
        long size = -1;
        Object s = m.get("size");
        if (s instanceof Number) {
            size = ((Number) s).longValue();
        } else if (s instanceof String && ((String) s).matches("\\d{1,18}")) {
            size = Long.parseLong((String) s);
        } else if (s != null) {
            throw new IllegalArgumentException("the package size is not a number");
        }
        if (s != null && size < 0) {
            throw new IllegalArgumentException("the package size is negative");
        }
        return new PackageRef(app, version.toString(), uri, sha, size);
    }

    /** The URL fit for logs: no user info, no query, no fragment. */
    String safeUrl() {
        return safe(url);
    }

    static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** What a failed attempt is remembered by: another version or checksum is tried at once. */
    String attemptKey() {
        return version + "\n" + sha256;
    }
}

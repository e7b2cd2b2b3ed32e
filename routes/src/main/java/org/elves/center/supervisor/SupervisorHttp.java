package org.elves.center.supervisor;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Supervisor serves over HTTP without a signature: app packages for the agents (their
 * integrity comes from the SHA-256 the signed deployment carries, checked by the agent before
 * anything is installed; original agents, which check nothing, get the same bytes by the file name
 * they build) and the admin page's static files (the page signs its own API calls).
 */
public class SupervisorHttp {
    private static final Pattern PACKAGE_FILE = Pattern.compile("([^_/]+)_([^/]+)\\.zip");
    private static final Pattern FILE = Pattern.compile("[a-z0-9-]+\\.(html|js|css)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");
    private static final String PAGES = "org/elves/center/supervisor/admin/";

    private final AppCatalogue apps;

    public SupervisorHttp(AppCatalogue apps) {
        this.apps = apps;
    }

    /** GET /packages/{app}/{version}: the zip, or 404. */
    public void servePackage(Exchange exchange) {
        Message m = exchange.getMessage();
        sendPackage(m, m.getHeader("app", String.class), m.getHeader("version", String.class));
    }

    /**
     * GET /packages/{app}_{version}.zip: the same, at the name an original agent builds from its
     * appsdownloadaddr (reference §8.4; app names hold no '_', so the first one splits).
     */
    public void servePackageFile(Exchange exchange) {
        Message m = exchange.getMessage();
        Matcher name = PACKAGE_FILE.matcher(String.valueOf(m.getHeader("file", String.class)));
        if (name.matches()) {
            sendPackage(m, name.group(1), name.group(2));
        } else {
            notFound(m, "no such package");
        }
    }

    private void sendPackage(Message m, String app, String version) {
        byte[] data = app == null || version == null ? null : apps.packageBytes(app, version);
        // the request's headers and query parameters would otherwise go back as response headers
        m.removeHeaders("*");
        if (data == null) {
            notFound(m, "no such package");
            return;
        }
        m.setHeader(Exchange.CONTENT_TYPE, "application/zip");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setBody(data);
    }

    /** GET /admin/ and /admin/{file}: the admin page's files from the class path. */
    public void servePage(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        String file = m.getHeader("file", String.class);
        m.removeHeaders("*");
        if (file == null || file.isEmpty()) {
            file = "index.html";
        }
        InputStream in = FILE.matcher(file).matches() ? getClass().getClassLoader().getResourceAsStream(PAGES + file) : null;
        if (in == null) {
            notFound(m, "no such page");
            return;
        }
        try (in) {
            m.setHeader(Exchange.CONTENT_TYPE, TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
            m.setHeader("Cache-Control", "no-store");
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            m.setBody(in.readAllBytes());
        }
    }

    /** The API's envelope with 404.1, so that every answer of this server is one a client can parse. */
    private static void notFound(Message m, String why) {
        m.removeHeaders("*");
        Map<String, Object> body = new LinkedHashMap<>(2);
        body.put("flag", "false");
        body.put("error", ErrorCode.PATH_NOT_FOUND.text(why));
        m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, ErrorCode.PATH_NOT_FOUND.httpStatus());
        m.setBody(Json.text(body).getBytes(StandardCharsets.UTF_8));
    }
}

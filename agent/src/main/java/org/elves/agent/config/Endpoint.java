package org.elves.agent.config;

import java.util.Objects;

/** A host and port the agent talks to (scheduler, heartbeat, processor), written {@code host:port}. */
public record Endpoint(String host, int port) {

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("empty host in endpoint");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + host + " is outside 1..65535");
        }
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port} or a bare host (then {@code defaultPort}).
     *
     * @throws IllegalArgumentException with the offending text when it is not an endpoint
     */
    public static Endpoint parse(String text, int defaultPort) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty endpoint, expected host:port");
        }
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("endpoint '" + text + "': missing ']'");
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("endpoint '" + text + "': expected ':' after ']'");
                }
                port = s.substring(close + 2);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        try {
            return new Endpoint(host, port == null ? defaultPort : Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint '" + text + "': port '" + port + "' is not a number");
        }
    }

    /** Each of {@code texts} parsed as by {@link #parse}, in order. */
    public static java.util.List<Endpoint> parseAll(java.util.List<String> texts, int defaultPort) {
        java.util.List<Endpoint> list = new java.util.ArrayList<>();
        for (String text : texts) {
            list.add(parse(text, defaultPort));
        }
        return list;
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}

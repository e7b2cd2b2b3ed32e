package org.elves.config;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Identity of this process, for instance registration. */
public final class LocalInstance {
    private static final Instant STARTED = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());

    private LocalInstance() {
    }

    /** This host's name as other machines most likely know it, falling back to loopback. */
    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /** {@code host:port}, for an instance that listens on a port. */
    public static String id(int port) {
        return host() + ":" + port;
    }

    /** {@code host:pid}, for an instance without a port of its own. */
    public static String idByPid() {
        return host() + ":" + pid();
    }

    /** The standard registration data: host, pid, start time (ISO-8601 and epoch ms), version, port if any. */
    public static Map<String, Object> data(String version, Integer port) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("host", host());
        data.put("pid", pid());
        data.put("startTime", STARTED.toString());
        data.put("startTimeMs", STARTED.toEpochMilli());
        data.put("version", version);
        if (port != null) {
            data.put("port", port);
        }
        return data;
    }
}

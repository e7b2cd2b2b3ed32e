package org.elves.agent.report;

import org.apache.thrift.TException;
import org.elves.agent.LightJson;
import org.elves.agent.LogThrottle;
import org.elves.agent.config.Endpoint;
import org.elves.agent.runner.InstalledApps;
import org.elves.agent.thrift.ThriftClients;
import org.elves.protocol.thrift.AppService;
import org.elves.protocol.thrift.Reinstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Mode P of agent-initiated work (agent crons, AAP): hands a finished result to the app's own
 * processor, whose address the app ships in {@code appcfg.json} (reference §8.6, §9.1). Failures
 * are logged only, as in the original. Center-initiated P tasks (queue, center cron) are delivered
 * by the Scheduler instead, which records the outcome (see {@link ResultDelivery}).
 */
public final class ProcessorNotifier {
    public static final String APP_CONFIG = "appcfg.json";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorNotifier.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final InstalledApps apps;
    private final LogThrottle failures = new LogThrottle(10_000);

    public ProcessorNotifier(InstalledApps apps) {
        this.apps = apps;
    }

    /** Calls {@code AppService.runProcessor} when the instruct's mode is P; otherwise does nothing. */
    public void notify(Reinstruct reins) {
        if (reins.getIns() == null || !"p".equalsIgnoreCase(reins.getIns().getMode())) {
            return;
        }
        String app = reins.getIns().getApp();
        try {
            Target target = target(app);
            if (target == null) {
                return;
            }
            ThriftClients.callOnce(target.endpoint(), CONNECT_TIMEOUT_MILLIS, target.timeoutMillis(),
                    p -> new AppService.Client(p).runProcessor(reins));
        } catch (TException | IOException | IllegalArgumentException e) {
            long suppressed = failures.permit();
            if (suppressed >= 0) {
                LOG.warn("task {} app [{}]: processor not notified: {}{}", reins.getIns().getId(), app, e.getMessage(),
                        suppressed > 0 ? " (" + suppressed + " similar failures not logged)" : "");
            }
        }
    }

    /** A number, or a number written as a string; anything else counts as 0 (unset). */
    private static int number(Object value) {
        if (value instanceof Number) {
            return ((Number) value).intValue();
        }
        if (value instanceof String && ((String) value).matches("\\d{1,9}")) {
            return Integer.parseInt((String) value);
        }
        return 0;
    }

    private record Target(Endpoint endpoint, int timeoutMillis) {
    }

    private Target target(String app) throws IOException {
        Path dir = apps.directoryOf(app);
        Path file = dir == null ? null : dir.resolve(APP_CONFIG);
        if (file == null || !Files.isRegularFile(file)) {
            throw new IOException("mode P but app has no " + APP_CONFIG);
        }
        Object root = LightJson.parse(Files.readAllBytes(file));
        Object section = root instanceof Map ? ((Map<?, ?>) root).get("Processor") : null;
        if (!(section instanceof Map)) {
            throw new IOException(APP_CONFIG + " has no \"Processor\" section");
        }
        Map<?, ?> processor = (Map<?, ?>) section;
        String addr = processor.get("Addr") == null ? "" : processor.get("Addr").toString();
        int port = number(processor.get("Port"));
        if (addr.isBlank() || port <= 0) {
            // the original treats an empty address as "no processor configured"
            return null;
        }
        int timeoutSeconds = Math.max(0, number(processor.get("Timeout")));
        return new Target(new Endpoint(addr, port), timeoutSeconds * 1000);
    }
}

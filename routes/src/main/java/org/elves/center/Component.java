package org.elves.center;

import org.apache.camel.CamelConfiguration;
import org.elves.center.cron.CronConfiguration;
import org.elves.center.heartbeat.HeartbeatConfiguration;
import org.elves.center.openapi.OpenApiConfiguration;
import org.elves.center.queue.QueueConfiguration;
import org.elves.center.scheduler.SchedulerConfiguration;
import org.elves.center.supervisor.SupervisorConfiguration;
import org.elves.center.watcher.WatcherConfiguration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The center's components: each a CamelConfiguration and a folder of YAML routes. */
public enum Component {
    HEARTBEAT(HeartbeatConfiguration.class),
    SCHEDULER(SchedulerConfiguration.class),
    QUEUE(QueueConfiguration.class),
    CRON(CronConfiguration.class),
    SUPERVISOR(SupervisorConfiguration.class),
    OPENAPI(OpenApiConfiguration.class),
    WATCHER(WatcherConfiguration.class);

    private final Class<? extends CamelConfiguration> configuration;

    Component(Class<? extends CamelConfiguration> configuration) {
        this.configuration = configuration;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Class<? extends CamelConfiguration> configuration() {
        return configuration;
    }

    /** "scheduler,openapi" or "all"; an unknown name is refused with the list of known ones. */
    public static List<Component> parse(String names) {
        List<Component> result = new ArrayList<>();
        for (String name : names.split("[,\\s]+")) {
            if (name.isBlank()) {
                continue;
            }
            if (name.equalsIgnoreCase("all")) {
                return List.of(values());
            }
            Component c = find(name);
            if (c == null) {
                throw new IllegalArgumentException("unknown component '" + name + "'; known: all, "
                        + String.join(", ", List.of(values()).stream().map(Component::id).toList()));
            }
            if (!result.contains(c)) {
                result.add(c);
            }
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("no component selected (elves.components)");
        }
        return result;
    }

    private static Component find(String name) {
        for (Component c : values()) {
            if (c.id().equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        return null;
    }
}

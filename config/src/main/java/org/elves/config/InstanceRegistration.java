package org.elves.config;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One registered instance; closing it removes its ephemeral node. */
public final class InstanceRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistration.class);

    private final String component;
    private final String instanceId;
    private final PersistentNode node;
    private final Consumer<InstanceRegistration> onClose;

    InstanceRegistration(String component, String instanceId, PersistentNode node,
            Consumer<InstanceRegistration> onClose) {
        this.component = component;
        this.instanceId = instanceId;
        this.node = node;
        this.onClose = onClose;
    }

    public String component() {
        return component;
    }

    public String instanceId() {
        return instanceId;
    }

    /** The full path of the ephemeral node. */
    public String path() {
        return node.getActualPath();
    }

    @Override
    public void close() {
        try {
            node.close();
        } catch (IOException e) {
            // the session ends with the process anyway, which removes the node
            LOG.warn("Could not remove instance node of {} {}: {}", component, instanceId, e.getMessage());
        } finally {
            onClose.accept(this);
        }
    }
}

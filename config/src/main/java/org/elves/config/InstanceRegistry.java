package org.elves.config;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers running instances as ephemeral nodes {@code {root}/{component}/instances/{id}} and
 * lists the live ones. Curator's {@link PersistentNode} keeps each node present: it is
 * re-created after a lost session and removed when the registration is closed.
 */
public final class InstanceRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistry.class);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final CuratorFramework client;
    private final ZooKeeperPaths paths;
    private final Set<InstanceRegistration> open = ConcurrentHashMap.newKeySet();

    public InstanceRegistry(CuratorFramework client, String root) {
        this.client = client;
        this.paths = new ZooKeeperPaths(root);
    }

    /**
     * Registers an instance and waits (bounded by the client's connection timeout) until its node
     * exists. If another live session holds the same id, the node is taken over and kept.
     */
    public InstanceRegistration register(String component, String instanceId, Map<String, ?> data) {
        String path = paths.instance(component, instanceId);
        ensurePersistentParents(component);
        PersistentNode node = new PersistentNode(client, CreateMode.EPHEMERAL, false, path,
                NodeFormat.render(data), true);
        node.start();
        long waitMs = Math.max(5000, client.getZookeeperClient().getConnectionTimeoutMs());
        boolean created;
        try {
            created = node.waitForInitialCreate(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            created = false;
        }
        if (!created) {
            closeQuietly(node);
            throw new ConfigException("Could not register instance " + path + " in ZooKeeper within " + waitMs + " ms");
        }
        InstanceRegistration registration = new InstanceRegistration(component, instanceId, node, open::remove);
        open.add(registration);
        LOG.info("Registered instance {}", path);
        return registration;
    }

    /** Live instances of a component, sorted by id; empty if none ever registered. */
    public List<Instance> instances(String component) {
        String parent = paths.instances(component);
        List<String> children;
        try {
            children = client.getChildren().forPath(parent);
        } catch (KeeperException.NoNodeException absent) {
            return List.of();
        } catch (Exception e) {
            throw failure(parent, e);
        }
        List<Instance> instances = new ArrayList<>();
        for (String id : children) {
            try {
                byte[] data = client.getData().forPath(paths.instance(component, id));
                instances.add(new Instance(id, parseData(data)));
            } catch (KeeperException.NoNodeException gone) {
                // the instance went away between listing and reading: it is not live
            } catch (Exception e) {
                throw failure(parent, e);
            }
        }
        instances.sort(Comparator.comparing(Instance::id));
        return List.copyOf(instances);
    }

    /** Removes every instance registered through this registry that is still open. */
    @Override
    public void close() {
        new ArrayList<>(open).forEach(InstanceRegistration::close);
    }

    /**
     * Creates {@code {root}/{component}/instances} as ordinary persistent nodes first.
     * PersistentNode would otherwise create missing parents as container nodes, which
     * ZooKeeper deletes once their last child goes, taking the component's config with them.
     */
    private void ensurePersistentParents(String component) {
        String parent = paths.instances(component);
        try {
            client.create().creatingParentsIfNeeded().forPath(parent);
        } catch (KeeperException.NodeExistsException exists) {
            // the usual case
        } catch (Exception e) {
            throw failure(parent, e);
        }
    }

    private static Map<String, Object> parseData(byte[] data) {
        if (data == null || data.length == 0) {
            return Map.of();
        }
        try {
            Map<String, Object> parsed = new LinkedHashMap<>(NodeFormat.JSON.readValue(data, JSON_OBJECT));
            parsed.values().removeIf(Objects::isNull);
            return parsed;
        } catch (Exception notJson) {
            // registered by something else (e.g. the original Elves, which writes no data)
            return Map.of();
        }
    }

    private static void closeQuietly(PersistentNode node) {
        try {
            node.close();
        } catch (Exception e) {
            LOG.debug("Closing an unregistered node failed", e);
        }
    }

    private static ConfigException failure(String path, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new ConfigException("Cannot read instances under ZooKeeper node " + path + ": " + e, e);
    }
}

package org.elves.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Writes config nodes as JSON objects: used by the CLI, by tests, and by the standalone mode to
 * seed defaults. Keys may be given in full ({@code elves.openapi.sign.window-seconds}) or
 * relative to the node ({@code sign.window-seconds}); they are stored relative, as an operator
 * would write them. A null component means the global node.
 */
public final class ZooKeeperConfigWriter {
    private final CuratorFramework client;
    private final ZooKeeperPaths paths;

    public ZooKeeperConfigWriter(CuratorFramework client, String root) {
        this.client = client;
        this.paths = new ZooKeeperPaths(root);
    }

    /** The node path that holds the settings of a component (null: the global node). */
    public String path(String component) {
        return paths.node(component);
    }

    /** Replaces the whole content of the node, creating it (and its parents) if needed. */
    public void publish(String component, Map<String, ?> settings) {
        String path = paths.node(component);
        byte[] data = NodeFormat.render(relative(component, settings));
        try {
            try {
                client.create().creatingParentsIfNeeded().forPath(path, data);
            } catch (KeeperException.NodeExistsException exists) {
                client.setData().forPath(path, data);
            }
        } catch (Exception e) {
            throw failure("write", path, e);
        }
    }

    /**
     * Writes the node only if it does not exist or has no settings yet, so seeding defaults at
     * start never overwrites what an operator set. Returns whether it wrote.
     */
    public boolean publishIfAbsent(String component, Map<String, ?> settings) {
        String path = paths.node(component);
        byte[] data = NodeFormat.render(relative(component, settings));
        try {
            try {
                client.create().creatingParentsIfNeeded().forPath(path, data);
                return true;
            } catch (KeeperException.NodeExistsException exists) {
                Stat stat = new Stat();
                byte[] current = client.getData().storingStatIn(stat).forPath(path);
                if (!NodeFormat.parseLeaves(current).isEmpty()) {
                    return false;
                }
                client.setData().withVersion(stat.getVersion()).forPath(path, data);
                return true;
            }
        } catch (KeeperException.BadVersionException raced) {
            return false;
        } catch (ConfigException e) {
            // existing content is malformed: it is an operator's, leave it alone
            return false;
        } catch (Exception e) {
            throw failure("seed", path, e);
        }
    }

    /**
     * Sets some keys and keeps the others; a null value removes its key. Safe against concurrent
     * writers (compare-and-set on the node version, retried). A node whose current content is
     * malformed is not touched: the error says so instead of silently replacing it.
     */
    public void merge(String component, Map<String, ?> changes) {
        String path = paths.node(component);
        String prefix = ZooKeeperPaths.keyPrefix(component);
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                Stat stat = client.checkExists().forPath(path);
                if (stat == null) {
                    try {
                        client.create().creatingParentsIfNeeded().forPath(path, NodeFormat.render(relative(component, changes)));
                        return;
                    } catch (KeeperException.NodeExistsException raced) {
                        continue;
                    }
                }
                byte[] current = client.getData().storingStatIn(stat).forPath(path);
                Map<String, Object> merged = new LinkedHashMap<>(parseExisting(path, current));
                changes.forEach((key, value) -> {
                    String relativeKey = ZooKeeperPaths.relativeKey(prefix, key);
                    if (value == null) {
                        merged.remove(relativeKey);
                    } else {
                        merged.put(relativeKey, value);
                    }
                });
                client.setData().withVersion(stat.getVersion()).forPath(path, NodeFormat.render(merged));
                return;
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException raced) {
                // someone else wrote or deleted in between: read again
            } catch (ConfigException e) {
                throw e;
            } catch (Exception e) {
                throw failure("update", path, e);
            }
        }
        throw new ConfigException("Could not update ZooKeeper node " + path + ": too many concurrent writers");
    }

    /** The settings stored in a node, keys relative to it; empty when the node does not exist. */
    public Map<String, String> read(String component) {
        String path = paths.node(component);
        try {
            return NodeFormat.parse(client.getData().forPath(path));
        } catch (KeeperException.NoNodeException absent) {
            return Map.of();
        } catch (ConfigException e) {
            throw new ConfigException("ZooKeeper node " + path + " is malformed: " + e.getMessage(), e);
        } catch (Exception e) {
            throw failure("read", path, e);
        }
    }

    private static Map<String, JsonNode> parseExisting(String path, byte[] current) {
        try {
            return NodeFormat.parseLeaves(current);
        } catch (ConfigException e) {
            throw new ConfigException("ZooKeeper node " + path + " is malformed (" + e.getMessage()
                    + "); fix or replace it with publish before merging into it", e);
        }
    }

    private static Map<String, Object> relative(String component, Map<String, ?> settings) {
        String prefix = ZooKeeperPaths.keyPrefix(component);
        Map<String, Object> relative = new LinkedHashMap<>();
        settings.forEach((key, value) -> relative.put(ZooKeeperPaths.relativeKey(prefix, key), value));
        return relative;
    }

    private static ConfigException failure(String action, String path, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new ConfigException("Cannot " + action + " ZooKeeper node " + path + ": " + e, e);
    }
}

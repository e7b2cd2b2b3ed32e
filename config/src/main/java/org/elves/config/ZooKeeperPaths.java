package org.elves.config;

import java.util.regex.Pattern;
import org.apache.curator.utils.PathUtils;
import org.apache.curator.utils.ZKPaths;

/**
 * The ZooKeeper layout (design §3) and how node keys map to Elves keys:
 * {@code {root}} holds global settings (key {@code k} is {@code elves.k}),
 * {@code {root}/{component}} holds that component's settings ({@code elves.<component>.k}),
 * {@code {root}/{component}/instances/{id}} are the ephemeral instance nodes.
 */
final class ZooKeeperPaths {
    static final String INSTANCES = "instances";
    /** Lower case because the name becomes part of keys and environment variable names. */
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final String root;

    ZooKeeperPaths(String root) {
        if (root == null || root.isBlank()) {
            throw new ConfigException("Setting " + ConfigKeys.ZOOKEEPER_ROOT + " must not be empty");
        }
        String trimmed = root.strip();
        if (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            this.root = PathUtils.validatePath(trimmed);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Setting " + ConfigKeys.ZOOKEEPER_ROOT + " is not a valid ZooKeeper path: "
                    + e.getMessage(), e);
        }
    }

    String root() {
        return root;
    }

    /** The node of a component, or the root (global) node for null. */
    String node(String component) {
        return component == null ? root : ZKPaths.makePath(root, checkComponent(component));
    }

    String instances(String component) {
        return ZKPaths.makePath(node(component), INSTANCES);
    }

    String instance(String component, String instanceId) {
        if (instanceId == null || instanceId.isBlank() || instanceId.contains("/")
                || instanceId.equals(".") || instanceId.equals("..")) {
            throw new ConfigException("Instance id must be a non-empty ZooKeeper node name without '/', got '"
                    + instanceId + "'");
        }
        String path = ZKPaths.makePath(instances(component), instanceId);
        try {
            return PathUtils.validatePath(path);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Instance id '" + instanceId + "' is not a valid ZooKeeper node name: "
                    + e.getMessage(), e);
        }
    }

    /** {@code elves.} for the global node, {@code elves.<component>.} for a component node. */
    static String keyPrefix(String component) {
        return component == null ? ConfigKeys.PREFIX : ConfigKeys.PREFIX + checkComponent(component) + ".";
    }

    /** A key read from a node; a key already written in full is not prefixed twice. */
    static String absoluteKey(String prefix, String relative) {
        return relative.startsWith(prefix) ? relative : prefix + relative;
    }

    /** A key to write into a node: full keys are stored relative to the node, as operators write them. */
    static String relativeKey(String prefix, String key) {
        return key.startsWith(prefix) && key.length() > prefix.length() ? key.substring(prefix.length()) : key;
    }

    static String checkComponent(String component) {
        if (component == null || !COMPONENT.matcher(component).matches() || component.equals(INSTANCES)) {
            throw new ConfigException("Component name must match " + COMPONENT.pattern()
                    + " (lower case letters, digits, '-'), got '" + component + "'");
        }
        return component;
    }
}

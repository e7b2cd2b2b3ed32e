package org.elves.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ZooKeeper layers: the global node and the selected component nodes, each watched
 * by its own single-node {@link CuratorCache} (a recursive cache on the root would also
 * mirror every instance and heartbeat node). Each node keeps its last good values, so a
 * malformed edit is reported and ignored rather than wiping a running component's settings.
 */
final class ZooKeeperLayer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLayer.class);

    private final WatchedNode global;
    /** In precedence order, highest first. */
    private final List<WatchedNode> components = new ArrayList<>();
    private final Runnable onChange;
    private final CountDownLatch initialized;

    ZooKeeperLayer(CuratorFramework client, ZooKeeperPaths paths, List<String> componentNames, Runnable onChange) {
        this.onChange = onChange;
        this.initialized = new CountDownLatch(componentNames.size() + 1);
        this.global = new WatchedNode(client, paths.node(null), ZooKeeperPaths.keyPrefix(null));
        for (String component : componentNames) {
            components.add(new WatchedNode(client, paths.node(component), ZooKeeperPaths.keyPrefix(component)));
        }
    }

    void start() {
        global.start();
        components.forEach(WatchedNode::start);
    }

    boolean awaitInitialized(long timeoutMs) throws InterruptedException {
        return initialized.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    Map<String, String> globalValues() {
        return global.values;
    }

    /** Component nodes merged; a component listed earlier wins on a shared key. */
    Map<String, String> componentValues() {
        Map<String, String> merged = new HashMap<>();
        for (int i = components.size() - 1; i >= 0; i--) {
            merged.putAll(components.get(i).values);
        }
        return merged;
    }

    /** Node path to the reason its current content is being ignored. */
    Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        global.reportProblem(problems);
        components.forEach(node -> node.reportProblem(problems));
        return Collections.unmodifiableMap(problems);
    }

    @Override
    public void close() {
        global.close();
        components.forEach(WatchedNode::close);
    }

    private final class WatchedNode {
        private final String path;
        private final String keyPrefix;
        private final CuratorCache cache;
        private volatile Map<String, String> values = Map.of();
        private volatile String problem;

        WatchedNode(CuratorFramework client, String path, String keyPrefix) {
            this.path = path;
            this.keyPrefix = keyPrefix;
            this.cache = CuratorCache.build(client, path, CuratorCache.Options.SINGLE_NODE_CACHE);
            // Re-read the cache on every event rather than interpreting event types: created,
            // changed and deleted all reduce to "what is the node's content now".
            cache.listenable().addListener(CuratorCacheListener.builder()
                    .forAll((type, oldData, data) -> refresh())
                    .forInitialized(initialized::countDown)
                    .build());
        }

        void start() {
            cache.start();
        }

        void close() {
            cache.close();
        }

        void reportProblem(Map<String, String> into) {
            String current = problem;
            if (current != null) {
                into.put(path, current);
            }
        }

        private synchronized void refresh() {
            Optional<ChildData> data = cache.get(path);
            Map<String, String> next;
            try {
                next = data.map(d -> prefixed(NodeFormat.parse(d.getData()))).orElse(Map.of());
            } catch (ConfigException e) {
                problem = e.getMessage();
                LOG.error("Ignoring the content of ZooKeeper node {}: {}; keeping its last good settings", path,
                        e.getMessage());
                return;
            }
            if (problem != null) {
                LOG.info("ZooKeeper node {} is readable again", path);
                problem = null;
            }
            if (!next.equals(values)) {
                values = next;
                onChange.run();
            }
        }

        private Map<String, String> prefixed(Map<String, String> relative) {
            Map<String, String> full = new HashMap<>();
            relative.forEach((key, value) -> full.put(ZooKeeperPaths.absoluteKey(keyPrefix, key), value));
            return Map.copyOf(full);
        }
    }
}

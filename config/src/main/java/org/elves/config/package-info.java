/**
 * The one configuration reader of Elves: layered settings ({@link org.elves.config.ElvesConfig}),
 * live ZooKeeper config nodes, instance registration ({@link org.elves.config.InstanceRegistry})
 * and an in-process ZooKeeper ({@link org.elves.config.EmbeddedZooKeeper}).
 *
 * <p>A component typically does:
 * <pre>{@code
 * ElvesConfig config = ElvesConfig.builder()
 *         .overrides(commandLineSettings)
 *         .components("scheduler")
 *         .build();                       // connects to ZooKeeper if elves.zookeeper.connect is set
 * config.registerInstance("scheduler", LocalInstance.id(port), LocalInstance.data(version, port));
 * ElvesPropertiesSource.install(camelContext, config);   // {{elves.x}} in routes
 * config.onChange(keys -> { ... });      // react to live changes
 * ...
 * config.close();                        // removes the registration, stops watching, closes the client
 * }</pre>
 * Only {@code org.elves.config.camel} uses Camel.
 */
package org.elves.config;

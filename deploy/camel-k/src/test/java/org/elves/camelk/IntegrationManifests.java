package org.elves.camelk;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import org.apache.camel.v1.Integration;
import org.apache.camel.v1.IntegrationSpec;
import org.apache.camel.v1.integrationspec.Sources;
import org.apache.camel.v1.integrationspec.Template;
import org.apache.camel.v1.integrationspec.Traits;
import org.apache.camel.v1.integrationspec.template.Spec;
import org.apache.camel.v1.integrationspec.template.spec.Containers;
import org.apache.camel.v1.integrationspec.template.spec.containers.Env;
import org.apache.camel.v1.integrationspec.template.spec.containers.env.ValueFrom;
import org.apache.camel.v1.integrationspec.template.spec.containers.env.valuefrom.SecretKeyRef;
import org.apache.camel.v1.integrationspec.traits.Addons;
import org.apache.camel.v1.integrationspec.traits.Affinity;
import org.apache.camel.v1.integrationspec.traits.Camel;
import org.apache.camel.v1.integrationspec.traits.Cron;
import org.apache.camel.v1.integrationspec.traits.Jvm;
import org.apache.camel.v1.integrationspec.traits.Pdb;
import org.apache.camel.v1.integrationspec.traits.Pod;
import org.apache.camel.v1.integrationspec.traits.Service;
import org.elves.center.Component;
import org.elves.center.common.CommonConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes deploy/camel-k/integrations/elves-&lt;component&gt;.yaml: one Camel K Integration per
 * component of the center, holding what {@code elves center --components <component>} assembles
 * (Center): common/'s and the component's route files, embedded verbatim in the order of
 * routes.index; {@link ElvesIntegration}, CommonConfiguration and the component's configuration as
 * Camel Main configuration classes; the {@code elves.*} settings that point it at the cluster's
 * RabbitMQ, ZooKeeper ensemble and MongoDB replica set (infra/). Built on Camel K's own model, so
 * only fields of camel-k-crds can be written.
 *
 * <p>Regenerate after changing a route file or this class:
 * {@code mvn -B -o -pl deploy/camel-k test -Dtest=CamelKManifestsTest -Delves.camelk.regenerate=true}
 * (CamelKManifestsTest fails while the files differ from what this writes).
 */
final class IntegrationManifests {
    static final String VERSION = "0.1.0-SNAPSHOT";
    /** Where the center's route files are, from the checkout's root. */
    static final String ROUTES_DIR = "routes/src/main/resources/org/elves/center";
    /** Every component runs twice: competing consumers on its queue, a ZooKeeper-elected Cron leader. */
    static final int REPLICAS = 2;

    static final String RABBITMQ = "elves-rabbitmq";
    /** The secret the RabbitMQ cluster operator makes for a RabbitmqCluster: keys username, password, ... */
    static final String RABBITMQ_SECRET = RABBITMQ + "-default-user";
    static final String ZOOKEEPER = "elves-zookeeper";
    static final int ZOOKEEPER_NODES = 3;
    static final String MONGODB = "elves-mongodb";
    static final int MONGODB_NODES = 3;
    static final String MONGODB_REPLICA_SET = "rs0";
    /** The OpenAPI admin key pair (elves.openapi.auth.id/key): made by the operator, see README. */
    static final String OPENAPI_SECRET = "elves-openapi-admin";

    /** Ports the components listen on, served by Services in infra/services.yaml. */
    static final Map<Component, Integer> PORTS = Map.of(
            Component.HEARTBEAT, 11102,
            Component.SCHEDULER, 10101,
            Component.OPENAPI, 9091,
            Component.SUPERVISOR, 9092);

    private IntegrationManifests() {
    }

    static String name(Component component) {
        return "elves-" + component.id();
    }

    static Path file(Path dir, Component component) {
        return dir.resolve("integrations").resolve(name(component) + ".yaml");
    }

    /** The route files of common/ and of the component, as routes.index lists them (folder/file). */
    static List<String> routeFiles(Component component) {
        List<String> files = new ArrayList<>();
        for (String folder : List.of("common", component.id())) {
            for (String file : routesIndex()) {
                if (file.startsWith(folder + "/")) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    static List<String> routesIndex() {
        return routeText("routes.index").lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The checkout's root: the nearest directory up from here holding the center's route files. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve(ROUTES_DIR).resolve("routes.index"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no " + ROUTES_DIR + " above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** A route file (or routes.index) as it is in the tree, routes/src/main/resources/org/elves/center/{@code file}. */
    static Path routeFile(String file) {
        return repoRoot().resolve(ROUTES_DIR).resolve(file);
    }

    static String routeText(String file) {
        try {
            return Files.readString(routeFile(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Source names are file names (Camel K mounts them in one directory): folder/file → file. */
    static String sourceName(String routeFile) {
        return routeFile.substring(routeFile.indexOf('/') + 1);
    }

    /** The settings of the component in the cluster, in order; the Integration's camel trait properties. */
    static Map<String, String> properties(Component component) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.main.name", name(component));
        p.put("camel.main.configuration-classes", String.join(",", ElvesIntegration.class.getName(),
                CommonConfiguration.class.getName(), component.configuration().getName()));
        // elves.shutdown-timeout-s: messages in flight get this long at a stop (Center sets it from the config)
        p.put("camel.main.shutdown-timeout", "5");
        p.put(ElvesIntegration.COMPONENTS, component.id());
        p.put("elves.mq.host", RABBITMQ);
        p.put("elves.mq.port", "5672");
        List<String> zk = new ArrayList<>();
        for (int i = 0; i < ZOOKEEPER_NODES; i++) {
            zk.add(ZOOKEEPER + "-" + i + "." + ZOOKEEPER + "-hs:2181");
        }
        p.put("elves.zookeeper.connect", String.join(",", zk));
        List<String> mongo = new ArrayList<>();
        for (int i = 0; i < MONGODB_NODES; i++) {
            mongo.add(MONGODB + "-" + i + "." + MONGODB + "-hs:27017");
        }
        p.put("elves.mongo.uri", "mongodb://" + String.join(",", mongo) + "/?replicaSet=" + MONGODB_REPLICA_SET);
        Integer port = PORTS.get(component);
        if (port != null) {
            // reached through a Service: listen on the pod's address, not loopback
            p.put("elves." + component.id() + ".host", "0.0.0.0");
            p.put("elves." + component.id() + ".port", String.valueOf(port));
        }
        if (component == Component.SUPERVISOR) {
            // agents in the cluster; agents outside it need the Service's external address (README)
            p.put("elves.supervisor.package-url", "http://" + name(component) + ":" + port + "/packages");
        }
        return p;
    }

    static Integration integration(Component component) {
        Integration it = new Integration();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name(component));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/part-of", "elves");
        labels.put("app.kubernetes.io/component", component.id());
        meta.setLabels(labels);
        it.setMetadata(meta);

        IntegrationSpec spec = new IntegrationSpec();
        spec.setReplicas(REPLICAS);
        spec.setDependencies(List.of("mvn:org.elves:elves-camel-k:" + VERSION, "mvn:org.elves:elves-routes:" + VERSION));
        List<Sources> sources = new ArrayList<>();
        for (String file : routeFiles(component)) {
            Sources s = new Sources();
            s.setName(sourceName(file));
            s.setLanguage("yaml");
            s.setContent(routeText(file));
            sources.add(s);
        }
        spec.setSources(sources);
        spec.setTraits(traits(component));
        spec.setTemplate(template(component));
        it.setSpec(spec);
        return it;
    }

    private static Traits traits(Component component) {
        Traits traits = new Traits();
        Camel camel = new Camel();
        List<String> props = new ArrayList<>();
        properties(component).forEach((k, v) -> props.add(k + "=" + v));
        camel.setProperties(props);
        traits.setCamel(camel);

        Jvm jvm = new Jvm();
        // JvmDefaults.apply() of `elves center`: pooled CompletableFuture steps on small nodes
        jvm.setOptions(List.of("-Djava.util.concurrent.ForkJoinPool.common.parallelism=4"));
        traits.setJvm(jvm);

        // the ports are Thrift or the center's own HTTP server: Services of infra/services.yaml
        Service service = new Service();
        service.setEnabled(false);
        traits.setService(service);

        // timer and Quartz routes run for good in the pods, never as a CronJob
        Cron cron = new Cron();
        cron.setEnabled(false);
        traits.setCron(cron);

        if (component == Component.CRON) {
            // the leader is elected in ZooKeeper (CronConfiguration), not by Camel K's Lease-based master addon
            Addons master = new Addons();
            master.setAdditionalProperty("enabled", false);
            traits.setAddons(Map.of("master", master));
        }

        Pdb pdb = new Pdb();
        pdb.setEnabled(true);
        pdb.setMinAvailable("1");
        traits.setPdb(pdb);

        Affinity affinity = new Affinity();
        affinity.setEnabled(true);
        affinity.setPodAntiAffinity(true);
        traits.setAffinity(affinity);

        Pod pod = new Pod();
        pod.setEnabled(true);
        traits.setPod(pod);
        return traits;
    }

    /** Secrets as ELVES_* variables, which the config reader puts above the properties (merged into the "integration" container). */
    private static Template template(Component component) {
        List<Env> env = new ArrayList<>();
        env.add(secretEnv("ELVES_MQ_USERNAME", RABBITMQ_SECRET, "username"));
        env.add(secretEnv("ELVES_MQ_PASSWORD", RABBITMQ_SECRET, "password"));
        if (component == Component.OPENAPI) {
            env.add(secretEnv("ELVES_OPENAPI_AUTH_ID", OPENAPI_SECRET, "auth-id"));
            env.add(secretEnv("ELVES_OPENAPI_AUTH_KEY", OPENAPI_SECRET, "auth-key"));
        }
        Containers container = new Containers();
        container.setName("integration");
        container.setEnv(env);
        Spec podSpec = new Spec();
        podSpec.setContainers(List.of(container));
        Template template = new Template();
        template.setSpec(podSpec);
        return template;
    }

    private static Env secretEnv(String name, String secret, String key) {
        SecretKeyRef ref = new SecretKeyRef();
        ref.setName(secret);
        ref.setKey(key);
        ValueFrom from = new ValueFrom();
        from.setSecretKeyRef(ref);
        Env env = new Env();
        env.setName(name);
        env.setValueFrom(from);
        return env;
    }

    /** The manifest's text: a header, then the Integration as YAML (route files as literal blocks). */
    static String yaml(Component component) {
        try {
            return "# Generated by deploy/camel-k/src/test/java/org/elves/camelk/IntegrationManifests.java: do not edit.\n"
                    + "# The sources are the route files of routes/src/main/resources/org/elves/center/{common,"
                    + component.id() + "}.\n"
                    + "# Regenerate: mvn -B -o -pl deploy/camel-k test -Dtest=CamelKManifestsTest -Delves.camelk.regenerate=true\n"
                    + writer().writeValueAsString(integration(component));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectMapper writer() {
        YAMLFactory yaml = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                // "1" stays a string for Kubernetes (intstr), not a number
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build();
        return new ObjectMapper(yaml)
                // for the reader: names first, the long route files last
                .addMixIn(ObjectMeta.class, MetaOrder.class)
                .addMixIn(IntegrationSpec.class, SpecOrder.class)
                .addMixIn(Sources.class, SourceOrder.class);
    }

    @JsonPropertyOrder({"name", "labels"})
    private interface MetaOrder {
    }

    @JsonPropertyOrder({"replicas", "dependencies", "traits", "template", "sources"})
    private interface SpecOrder {
    }

    @JsonPropertyOrder({"name", "language", "content"})
    private interface SourceOrder {
    }

    /** A strict reader: a field Camel K's model does not have fails (see also CamelKManifestsTest's additionalProperties walk). */
    static ObjectMapper strictReader() {
        return new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    }

    /** Writes every component's manifest into {@code dir}/integrations. */
    static void writeAll(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("integrations"));
        for (Component c : Component.values()) {
            Files.writeString(file(dir, c), yaml(c), StandardCharsets.UTF_8);
        }
    }
}

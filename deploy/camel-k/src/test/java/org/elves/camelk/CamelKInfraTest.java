package org.elves.camelk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.apache.camel.v1.Integration;
import org.elves.center.Component;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/camel-k/infra and services.yaml: every object read strictly into fabric8's Kubernetes
 * model (the RabbitmqCluster, which has no model here, against the fields of the operator's
 * v1beta1 spec), and everything the Integrations' properties name exists there: the RabbitMQ
 * cluster, each ZooKeeper and MongoDB member with its port, the replica set's name, and a Service
 * on each component's port.
 */
class CamelKInfraTest {
    /** Kinds of the Kubernetes API used here and their model classes. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Service", Service.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "batch/v1/Job", Job.class);
    /** RabbitmqCluster (rabbitmq.com/v1beta1) spec fields, from the Cluster Operator's API reference. */
    private static final Set<String> RABBITMQ_CLUSTER_SPEC = Set.of("replicas", "image", "imagePullSecrets", "service",
            "persistence", "resources", "affinity", "tolerations", "rabbitmq", "tls", "override", "skipPostDeploySteps",
            "terminationGracePeriodSeconds", "delayStartSeconds", "secretBackend");

    private static final Map<String, Service> services = new LinkedHashMap<>();
    private static final Map<String, StatefulSet> statefulSets = new LinkedHashMap<>();
    private static final Map<String, JsonNode> rabbitClusters = new LinkedHashMap<>();
    private static final List<Job> jobs = new ArrayList<>();
    private static final List<PodDisruptionBudget> budgets = new ArrayList<>();

    @BeforeAll
    static void readEveryObject() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> infra = Files.list(CamelKManifestsTest.DIR.resolve("infra"))) {
            infra.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        files.add(CamelKManifestsTest.DIR.resolve("services.yaml"));
        ObjectMapper strict = IntegrationManifests.strictReader();
        for (Path file : files) {
            for (JsonNode doc : documents(file)) {
                String kind = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                String where = CamelKManifestsTest.DIR.relativize(file) + " " + kind + " " + doc.path("metadata").path("name").asText();
                if (kind.equals("rabbitmq.com/v1beta1/RabbitmqCluster")) {
                    Set<String> fields = new TreeSet<>();
                    doc.path("spec").fieldNames().forEachRemaining(fields::add);
                    fields.removeAll(RABBITMQ_CLUSTER_SPEC);
                    assertEquals(Set.of(), fields, where + ": fields RabbitmqCluster's spec does not have");
                    rabbitClusters.put(doc.path("metadata").path("name").asText(), doc);
                    continue;
                }
                Class<? extends HasMetadata> type = KINDS.get(kind);
                assertNotNull(type, where + ": a kind this test does not know");
                HasMetadata object = strict.treeToValue(doc, type);
                StrictModel.requireNoUnknownFields(object, where, Set.of());
                if (object instanceof Service s) {
                    services.put(s.getMetadata().getName(), s);
                } else if (object instanceof StatefulSet s) {
                    statefulSets.put(s.getMetadata().getName(), s);
                } else if (object instanceof Job j) {
                    jobs.add(j);
                } else if (object instanceof PodDisruptionBudget b) {
                    budgets.add(b);
                }
            }
        }
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }

    @Test
    void aMisspelledFieldFailsHereToo() throws IOException {
        String zookeeper = Files.readString(CamelKManifestsTest.DIR.resolve("infra/zookeeper.yaml"));
        String statefulSet = zookeeper.substring(zookeeper.indexOf("kind: StatefulSet") - "apiVersion: apps/v1\n".length());
        ObjectMapper strict = IntegrationManifests.strictReader();
        // deep in the pod template (a container field) and at the top of the spec
        for (String typo : List.of(statefulSet.replace("image: zookeeper", "imag: zookeeper"),
                statefulSet.replace("serviceName:", "serviceNme:"))) {
            StatefulSet read = strict.readValue(typo, StatefulSet.class);
            AssertionError refused = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                    () -> StrictModel.requireNoUnknownFields(read, "typo", Set.of()));
            assertTrue(refused.getMessage().contains("does not know"), refused.getMessage());
        }
    }

    @Test
    void theRabbitMqClusterTheIntegrationsNameExists() throws IOException {
        for (Integration it : CamelKManifestsTest.readAll().values()) {
            Map<String, String> p = CamelKManifestsTest.properties(it);
            JsonNode cluster = rabbitClusters.get(p.get("elves.mq.host"));
            assertNotNull(cluster, it.getMetadata().getName() + ": RabbitmqCluster " + p.get("elves.mq.host")
                    + " (the operator's client Service has its name)");
            assertEquals("5672", p.get("elves.mq.port"));
            assertTrue(cluster.path("spec").path("replicas").asInt() >= 3, "a cluster of three nodes");
        }
    }

    @Test
    void everyZooKeeperMemberTheIntegrationsNameExists() throws IOException {
        for (Integration it : CamelKManifestsTest.readAll().values()) {
            String connect = CamelKManifestsTest.properties(it).get("elves.zookeeper.connect");
            List<String> hosts = List.of(connect.split(","));
            assertEquals(3, hosts.size(), "an ensemble of three: " + connect);
            for (String host : hosts) {
                requireMember(host, 2181);
            }
        }
    }

    @Test
    void everyMongoDbMemberAndTheReplicaSetTheIntegrationsNameExist() throws IOException {
        for (Integration it : CamelKManifestsTest.readAll().values()) {
            URI uri = URI.create(CamelKManifestsTest.properties(it).get("elves.mongo.uri"));
            assertEquals("mongodb", uri.getScheme());
            // several hosts are no URI authority for java.net.URI: split them by hand
            String hostList = uri.getRawSchemeSpecificPart().substring(2, uri.getRawSchemeSpecificPart().indexOf('/', 2));
            String replicaSet = uri.getQuery().replace("replicaSet=", "");
            List<String> hosts = List.of(hostList.split(","));
            assertEquals(3, hosts.size(), uri.toString());
            for (String host : hosts) {
                StatefulSet set = requireMember(host, 27017);
                List<String> args = set.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
                assertEquals(replicaSet, args.get(args.indexOf("--replSet") + 1), "mongod runs replica set " + replicaSet);
                String init = String.join("\n", jobs.get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
                assertTrue(init.contains("_id: \"" + replicaSet + "\"") && init.contains("host: \"" + host + "\""),
                        "the init job makes " + host + " a member of " + replicaSet);
            }
        }
    }

    /** {@code <set>-<ordinal>.<headless service>:<port>}: a member of a StatefulSet the Service governs, on that port. */
    private static StatefulSet requireMember(String hostAndPort, int port) {
        String[] parts = hostAndPort.split(":");
        assertEquals(String.valueOf(port), parts[1], hostAndPort);
        String pod = parts[0].substring(0, parts[0].indexOf('.'));
        String serviceName = parts[0].substring(parts[0].indexOf('.') + 1);
        String setName = pod.substring(0, pod.lastIndexOf('-'));
        int ordinal = Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
        StatefulSet set = statefulSets.get(setName);
        assertNotNull(set, hostAndPort + ": StatefulSet " + setName);
        assertEquals(serviceName, set.getSpec().getServiceName(), hostAndPort + ": the governing Service");
        assertTrue(ordinal < set.getSpec().getReplicas(), hostAndPort + ": " + setName + " has " + set.getSpec().getReplicas() + " pods");
        assertTrue(set.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .map(ContainerPort::getContainerPort).anyMatch(p -> p == port), hostAndPort + ": container port");
        Service headless = services.get(serviceName);
        assertNotNull(headless, hostAndPort + ": Service " + serviceName);
        assertEquals("None", headless.getSpec().getClusterIP(), serviceName + " is headless (one DNS name per pod)");
        assertEquals(set.getSpec().getSelector().getMatchLabels(), headless.getSpec().getSelector());
        assertTrue(headless.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == port), serviceName + " port " + port);
        return set;
    }

    @Test
    void aServiceLeadsToEachComponentsPort() throws IOException {
        Map<String, Integration> all = CamelKManifestsTest.readAll();
        for (Map.Entry<Component, Integer> e : IntegrationManifests.PORTS.entrySet()) {
            String name = IntegrationManifests.name(e.getKey());
            Map<String, String> p = CamelKManifestsTest.properties(all.get(name + ".yaml"));
            int port = Integer.parseInt(p.get("elves." + e.getKey().id() + ".port"));
            assertEquals("0.0.0.0", p.get("elves." + e.getKey().id() + ".host"), name + " listens on the pod's address");
            Service service = services.get(name);
            assertNotNull(service, "Service " + name);
            assertEquals(Map.of("camel.apache.org/integration", name), service.getSpec().getSelector(),
                    "the label Camel K gives the Integration's pods");
            List<ServicePort> ports = service.getSpec().getPorts();
            assertEquals(1, ports.size());
            assertEquals(port, ports.get(0).getTargetPort().getIntVal(), name + " targets elves." + e.getKey().id() + ".port");
        }
        // the Supervisor tells agents to download from its Service
        String packages = CamelKManifestsTest.properties(all.get("elves-supervisor.yaml")).get("elves.supervisor.package-url");
        assertEquals("http://elves-supervisor:" + services.get("elves-supervisor").getSpec().getPorts().get(0).getPort()
                + "/packages", packages);
    }

    @Test
    void everyBudgetAndServiceSelectsPodsThatExist() {
        Set<Map<String, String>> podLabels = new java.util.HashSet<>();
        statefulSets.values().forEach(s -> podLabels.add(s.getSpec().getSelector().getMatchLabels()));
        for (PodDisruptionBudget b : budgets) {
            assertTrue(podLabels.contains(b.getSpec().getSelector().getMatchLabels()), b.getMetadata().getName());
        }
        for (Service s : services.values()) {
            Map<String, String> selector = s.getSpec().getSelector();
            String integration = selector.get("camel.apache.org/integration");
            assertTrue(podLabels.contains(selector) || (integration != null
                    && Files.exists(CamelKManifestsTest.DIR.resolve("integrations").resolve(integration + ".yaml"))),
                    s.getMetadata().getName() + " selects " + selector);
        }
    }
}

package org.elves.camelk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.apache.camel.v1.Integration;
import org.apache.camel.v1.integrationspec.Sources;
import org.elves.center.Component;
import org.elves.config.ElvesConfig;
import org.elves.config.EmbeddedZooKeeper;
import org.elves.config.Instance;
import org.elves.protocol.Envelope;
import org.elves.protocol.TaskIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routes the manifests embed, run as Camel K would run them, on plain Camel Main: for each
 * component's Integration, its sources are written to files and loaded in the manifest's order, its
 * camel trait properties become the properties file Camel Main reads (camel.main.* included, so
 * the configuration classes are the manifest's), only the endpoints changed to this machine's
 * (RabbitMQ on 127.0.0.1:5672 under names of this run, an embedded ZooKeeper, an in-memory
 * MongoDB, free ports). All six run at once, as the cluster would run them. Each answers over
 * RabbitMQ (or HTTP) with its own handlers, every route its sources declare runs, and each
 * component registered itself in ZooKeeper: the manifests carry the same routes the center runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CamelKRoutesRunTest {
    private static final String PREFIX = "ck" + TaskIds.next().substring(0, 6).toLowerCase(Locale.ROOT) + "-";
    private static final String EXCHANGE = PREFIX + "elves";
    private static final Duration REPLY_WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path work;
    private static EmbeddedZooKeeper zookeeper;
    private static MongoServer mongo;
    private static final Map<Component, Main> running = new EnumMap<>(Component.class);
    private static final Map<Component, Map<String, String>> settings = new EnumMap<>(Component.class);
    private static final Map<Component, Integration> manifests = new EnumMap<>(Component.class);
    private static CachingConnectionFactory rabbit;

    @BeforeAll
    static void startEveryIntegration() throws Exception {
        zookeeper = EmbeddedZooKeeper.startOnRandomPort();
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        rabbit = new CachingConnectionFactory("127.0.0.1", 5672);
        for (Component c : Component.values()) {
            Integration it = CamelKManifestsTest.readAll().get(IntegrationManifests.name(c) + ".yaml");
            manifests.put(c, it);
            running.put(c, start(c, it));
        }
    }

    @AfterAll
    static void stopAndDeleteOurNames() {
        // the components that poll others first, so no stop waits for a call in flight to a stopped one
        for (Component c : List.of(Component.HEARTBEAT, Component.SCHEDULER, Component.OPENAPI, Component.QUEUE,
                Component.CRON, Component.SUPERVISOR, Component.WATCHER)) {
            Main main = running.get(c);
            if (main == null) {
                continue;
            }
            try {
                main.stop();
            } catch (Exception e) {
                System.err.println("stopping " + c + ": " + e);
            }
        }
        if (rabbit != null) {
            RabbitAdmin admin = new RabbitAdmin(rabbit);
            for (Component c : Component.values()) {
                admin.deleteQueue(PREFIX + c.id());
            }
            admin.deleteExchange(EXCHANGE);
            admin.deleteQueue(PREFIX + "watcher.tap");
            admin.deleteExchange(org.elves.center.rpc.WatchTap.exchangeOf(EXCHANGE));
            rabbit.destroy();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    /**
     * The manifest's properties with the endpoints of this machine instead of the cluster's; every
     * endpoint key changed here must be one the manifest sets, so nothing is added unseen.
     */
    private static Map<String, String> localSettings(Component c, Integration it) {
        Map<String, String> p = CamelKManifestsTest.properties(it);
        Map<String, String> local = new LinkedHashMap<>();
        local.put("elves.mq.host", "127.0.0.1");
        local.put("elves.mq.port", "5672");
        local.put("elves.zookeeper.connect", zookeeper.connectString());
        local.put("elves.mongo.uri", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort());
        if (IntegrationManifests.PORTS.containsKey(c)) {
            local.put("elves." + c.id() + ".host", "127.0.0.1");
            local.put("elves." + c.id() + ".port", String.valueOf(freePort()));
        }
        if (c == Component.SUPERVISOR) {
            local.put("elves.supervisor.package-url", "http://127.0.0.1:" + local.get("elves.supervisor.port") + "/packages");
        }
        for (String key : local.keySet()) {
            assertTrue(p.containsKey(key), IntegrationManifests.name(c) + " does not set " + key);
        }
        p.putAll(local);
        // a test's stop need not give messages in flight the manifest's 5 s (a stopping poller's
        // last rpc call otherwise holds each of the first contexts stopped that long)
        assertTrue(p.containsKey("camel.main.shutdown-timeout"));
        p.put("camel.main.shutdown-timeout", "1");
        // this run's names on the shared broker (the cluster has a broker of its own), and what the
        // pods get from secrets (ELVES_MQ_USERNAME/PASSWORD, ELVES_OPENAPI_AUTH_ID/KEY)
        p.put("elves.mq.exchange", EXCHANGE);
        p.put("elves.mq.queue-prefix", PREFIX);
        p.put("elves.mq.username", "guest");
        p.put("elves.mq.password", "guest");
        if (c == Component.OPENAPI) {
            p.put("elves.openapi.auth.id", "camelk");
            p.put("elves.openapi.auth.key", "camelk-test-key");
        }
        return p;
    }

    /** What Camel K does with an Integration, on plain Camel Main: sources as files, properties as a file. */
    private static Main start(Component c, Integration it) throws IOException {
        Path dir = Files.createDirectories(work.resolve(c.id()));
        List<String> routes = new ArrayList<>();
        for (Sources s : it.getSpec().getSources()) {
            Path file = dir.resolve(s.getName());
            Files.writeString(file, s.getContent(), StandardCharsets.UTF_8);
            routes.add("file:" + file);
        }
        Map<String, String> p = localSettings(c, it);
        settings.put(c, p);
        Path properties = dir.resolve("application.properties");
        try (Writer out = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
            java.util.Properties file = new java.util.Properties();
            file.putAll(p);
            file.store(out, IntegrationManifests.name(c) + " with local endpoints");
        }
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:" + properties);
        // Camel K loads the sources itself, in the manifest's order (common/ first: the templates)
        main.addInitialProperty("camel.main.routes-include-pattern", String.join(",", routes));
        try {
            main.start();
        } catch (Exception e) {
            throw new AssertionError(IntegrationManifests.name(c) + " did not start on Camel Main", e);
        }
        return main;
    }

    /** The route ids the sources declare: route ids and templated routes' routeIds. */
    @SuppressWarnings("unchecked")
    private static Set<String> declaredRoutes(Integration it) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Set<String> ids = new TreeSet<>();
        for (Sources s : it.getSpec().getSources()) {
            List<Map<String, Object>> items = yaml.readValue(s.getContent(), List.class);
            for (Map<String, Object> item : items) {
                if (item.get("route") instanceof Map<?, ?> route) {
                    ids.add(String.valueOf(route.get("id")));
                } else if (item.get("templatedRoute") instanceof Map<?, ?> templated) {
                    ids.add(String.valueOf(templated.get("routeId")));
                }
            }
        }
        assertFalse(ids.contains("null"), it.getMetadata().getName() + ": a route without an id");
        return ids;
    }

    @Test
    void everyRouteOfEveryManifestRunsWithTheManifestsConfiguration() throws IOException {
        for (Component c : Component.values()) {
            CamelContext context = running.get(c).getCamelContext();
            Set<String> declared = declaredRoutes(manifests.get(c));
            Set<String> started = context.getRoutes().stream().map(Route::getRouteId)
                    .filter(id -> context.getRouteController().getRouteStatus(id) == ServiceStatus.Started)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(declared, started, IntegrationManifests.name(c) + ": the routes its sources declare, all started");
            assertEquals(IntegrationManifests.name(c), context.getName());
            // ElvesIntegration built the config reader from the manifest's properties and the component's defaults
            ElvesConfig config = context.getRegistry().lookupByNameAndType("elvesConfig", ElvesConfig.class);
            assertNotNull(config, c + ": elvesConfig");
            assertEquals(List.of("center", c.id()), config.components());
            assertEquals(EXCHANGE, config.get("elves.mq.exchange"));
            assertEquals(settings.get(c).get("elves.mongo.uri"), config.get("elves.mongo.uri"));
            assertEquals(context.resolvePropertyPlaceholders("{{elves.mq.queue-prefix}}"), PREFIX);
        }
    }

    /** The manifest's properties are the config file layer: ZooKeeper (live) overrides them, as for elves center. */
    @Test
    void zooKeeperOverridesTheManifestsProperties() throws InterruptedException {
        ElvesConfig config = running.get(Component.SUPERVISOR).getCamelContext().getRegistry()
                .lookupByNameAndType("elvesConfig", ElvesConfig.class);
        String external = "http://agents-reach-this.example:9092/packages";
        config.publish("supervisor", Map.of("elves.supervisor.package-url", external));
        long until = System.currentTimeMillis() + 5_000;
        while (!external.equals(config.get("elves.supervisor.package-url")) && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertEquals(external, config.get("elves.supervisor.package-url"));
        assertEquals(external, running.get(Component.SUPERVISOR).getCamelContext()
                .resolvePropertyPlaceholders("{{elves.supervisor.package-url}}"));
    }

    @Test
    void eachComponentRegisteredInZooKeeper() throws Exception {
        ElvesConfig config = running.get(Component.HEARTBEAT).getCamelContext().getRegistry()
                .lookupByNameAndType("elvesConfig", ElvesConfig.class);
        for (Component c : Component.values()) {
            List<Instance> instances = config.instanceRegistry().orElseThrow().instances(c.id());
            assertEquals(1, instances.size(), c + " registered: " + instances);
        }
    }

    @Test
    void eachComponentAnswersOverRabbitMqWithItsOwnHandlers() {
        Envelope online = call(Component.HEARTBEAT, "getOnlineStat", Map.of());
        assertTrue(online.ok(), online.toString());
        assertNotNull(online.body().get("result"), online.toString());

        Envelope crons = call(Component.CRON, "cronList", Map.of("ip", "10.1.2.3"));
        assertTrue(crons.ok(), crons.toString());
        assertEquals("true", String.valueOf(crons.body().get("flag")), crons.toString());

        Envelope apps = call(Component.SUPERVISOR, "appList", Map.of());
        assertTrue(apps.ok(), apps.toString());
        assertEquals("true", String.valueOf(apps.body().get("flag")), apps.toString());

        // refusals coded by the component's own beans: the handler ran (and, for Queue, read MongoDB)
        Envelope queue = call(Component.QUEUE, "queueResult", Map.of("queue_id", "no-such-queue"));
        assertTrue(String.valueOf(queue.body().get("error")).startsWith("[4"), queue.toString());
        Envelope job = call(Component.SCHEDULER, "syncJob", Map.of());
        assertTrue(String.valueOf(job.body().get("error")).startsWith("[4"), job.toString());
        Envelope logs = call(Component.WATCHER, "logs", Map.of("kind", "rt"));
        assertEquals("true", String.valueOf(logs.body().get("flag")), logs.toString());
    }

    @Test
    void theHttpServersServe() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String api = "http://127.0.0.1:" + settings.get(Component.OPENAPI).get("elves.openapi.port");
        HttpResponse<String> document = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v2/openapi.json"))
                .timeout(REPLY_WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, document.statusCode(), document.body());
        assertTrue(document.body().contains("\"openapi\""), document.body());

        String supervisor = "http://127.0.0.1:" + settings.get(Component.SUPERVISOR).get("elves.supervisor.port");
        HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(supervisor + "/admin/"))
                .timeout(REPLY_WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, admin.statusCode(), admin.body());
    }

    /** OpenAPI's Integration asks Heartbeat's through RabbitMQ: the components of two manifests work together. */
    @Test
    void aSignedApiCallReachesHeartbeatThroughOpenApi() throws Exception {
        Map<String, String> p = settings.get(Component.OPENAPI);
        String path = "/api/v2/info/agents";
        Map<String, String> params = new java.util.TreeMap<>();
        params.put("auth_id", p.get("elves.openapi.auth.id"));
        params.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        params.put("sign", org.elves.protocol.ApiSignature.sign(path, params, p.get("elves.openapi.auth.key")));
        params.put("sign_type", "md5");
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + p.get("elves.openapi.port") + path + "?" + query))
                .timeout(REPLY_WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"flag\":\"true\""), answer.body());
    }

    /** An rpc.call as another component makes it: an envelope on the exchange, the reply by direct reply-to. */
    private static Envelope call(Component to, String func, Map<String, Object> body) {
        Envelope request = Envelope.call("camelk", to.id(), func, new LinkedHashMap<>(body));
        RabbitTemplate template = new RabbitTemplate(rabbit);
        template.setReplyTimeout(REPLY_WAIT.toMillis());
        MessageProperties props = new MessageProperties();
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        Message reply = template.sendAndReceive(EXCHANGE, request.routingKey(), new Message(request.toBytes(), props));
        assertNotNull(reply, "no reply from " + to.id() + "." + func + " within " + REPLY_WAIT);
        return Envelope.parseReply(reply.getBody());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.elves.camelk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.apache.camel.v1.Integration;
import org.apache.camel.v1.integrationspec.Sources;
import org.elves.center.Component;
import org.elves.center.common.CommonConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/camel-k/integrations: one Integration per component, read strictly into Camel K's own
 * model (camel-k-crds 2.4.0), embedding the route files byte for byte and naming what
 * {@code elves center --components <component>} runs. The routes themselves run in
 * {@link CamelKRoutesRunTest}.
 */
class CamelKManifestsTest {
    static final Path DIR = IntegrationManifests.repoRoot().resolve("deploy/camel-k");

    private static Map<String, Integration> read;

    /** Every manifest in integrations/, read strictly, by file name (once per test JVM). */
    static synchronized Map<String, Integration> readAll() throws IOException {
        if (read != null) {
            return read;
        }
        Map<String, Integration> all = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DIR.resolve("integrations"))) {
            for (Path file : files.sorted().toList()) {
                all.put(file.getFileName().toString(), read(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
            }
        }
        read = java.util.Collections.unmodifiableMap(all);
        return read;
    }

    /**
     * Jackson with unknown fields failing; fabric8's ObjectMeta (the metadata) keeps unknown fields
     * in additionalProperties instead, so those are refused by {@link StrictModel} (only
     * {@code spec.traits.addons}, free-form in Camel K's CRD too, may hold any field).
     */
    static Integration read(String yaml, String where) throws IOException {
        Integration it = IntegrationManifests.strictReader().readValue(yaml, Integration.class);
        StrictModel.requireNoUnknownFields(it, where, Set.of("spec.traits.addons"));
        return it;
    }

    /** With -Delves.camelk.regenerate=true the manifests are written first (then every check reads them). */
    @BeforeAll
    static void regenerateWhenAsked() throws IOException {
        if (Boolean.getBoolean("elves.camelk.regenerate")) {
            IntegrationManifests.writeAll(DIR);
            synchronized (CamelKManifestsTest.class) {
                read = null;
            }
        }
    }

    @Test
    void theManifestsAreWhatTheGeneratorWrites() throws IOException {
        List<String> stale = new ArrayList<>();
        for (Component c : Component.values()) {
            Path file = IntegrationManifests.file(DIR, c);
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(IntegrationManifests.yaml(c))) {
                stale.add(DIR.relativize(file).toString());
            }
        }
        assertEquals(List.of(), stale, "stale manifests: regenerate with mvn -B -o -pl deploy/camel-k test "
                + "-Dtest=CamelKManifestsTest -Delves.camelk.regenerate=true");
    }

    @Test
    void everyComponentHasOneIntegrationOfCamelKsModelAndNothingElseIsThere() throws IOException {
        Map<String, Integration> all = readAll();
        Set<String> expected = new TreeSet<>();
        for (Component c : Component.values()) {
            expected.add(IntegrationManifests.name(c) + ".yaml");
        }
        assertEquals(expected, new TreeSet<>(all.keySet()));
        for (Component c : Component.values()) {
            Integration it = all.get(IntegrationManifests.name(c) + ".yaml");
            assertEquals("camel.apache.org/v1", it.getApiVersion());
            assertEquals("Integration", it.getKind());
            assertEquals(IntegrationManifests.name(c), it.getMetadata().getName());
            assertEquals(IntegrationManifests.REPLICAS, it.getSpec().getReplicas(), "every component runs twice");
            assertEquals(List.of("mvn:org.elves:elves-camel-k:" + IntegrationManifests.VERSION,
                    "mvn:org.elves:elves-routes:" + IntegrationManifests.VERSION), it.getSpec().getDependencies());
            Map<String, String> p = properties(it);
            assertEquals(c.id(), p.get(ElvesIntegration.COMPONENTS));
            // what Center.start adds for the components: the config reader first, then common, then the component
            assertEquals(List.of(ElvesIntegration.class.getName(), CommonConfiguration.class.getName(),
                    c.configuration().getName()), Arrays.asList(p.get("camel.main.configuration-classes").split(",")));
        }
    }

    /** The trait's {@code key=value} lines as a map (a key given twice fails). */
    static Map<String, String> properties(Integration it) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String line : it.getSpec().getTraits().getCamel().getProperties()) {
            int eq = line.indexOf('=');
            assertTrue(eq > 0, "not key=value: " + line);
            String key = line.substring(0, eq);
            if (p.put(key, line.substring(eq + 1)) != null) {
                fail(key + " is given twice in " + it.getMetadata().getName());
            }
        }
        return p;
    }

    @Test
    void theSourcesAreTheRouteFilesByteForByte() throws IOException {
        Map<String, Integration> all = readAll();
        for (Component c : Component.values()) {
            Integration it = all.get(IntegrationManifests.name(c) + ".yaml");
            List<String> files = IntegrationManifests.routeFiles(c);
            List<Sources> sources = it.getSpec().getSources();
            assertEquals(files.stream().map(IntegrationManifests::sourceName).toList(),
                    sources.stream().map(Sources::getName).toList(),
                    c.id() + ": common/'s and " + c.id() + "/'s route files of routes.index, in its order");
            assertEquals(sources.size(), sources.stream().map(Sources::getName).distinct().count(),
                    c.id() + ": Camel K mounts the sources in one directory, so their names must differ");
            for (int i = 0; i < files.size(); i++) {
                Sources s = sources.get(i);
                assertEquals("yaml", s.getLanguage());
                assertArrayEquals(Files.readAllBytes(IntegrationManifests.routeFile(files.get(i))),
                        s.getContent().getBytes(StandardCharsets.UTF_8),
                        IntegrationManifests.name(c) + " embeds " + s.getName() + " unlike "
                                + IntegrationManifests.ROUTES_DIR + "/" + files.get(i));
            }
        }
    }

    @Test
    void aMisspelledFieldFails() throws IOException {
        String yaml = Files.readString(IntegrationManifests.file(DIR, Component.HEARTBEAT), StandardCharsets.UTF_8);
        assertTrue(yaml.contains("\n  replicas: 2\n"), "the spec's replicas line");
        // a field of the spec, of a trait, of a source: Jackson refuses them
        for (String typo : List.of("\n  replica: 2\n", "\n  replicas: 2\n  traits2: {}\n")) {
            assertThrows(UnrecognizedPropertyException.class,
                    () -> read(yaml.replace("\n  replicas: 2\n", typo), "typo"), typo);
        }
        assertThrows(UnrecognizedPropertyException.class,
                () -> read(yaml.replace("    camel:\n", "    camell:\n"), "trait typo"));
        assertThrows(UnrecognizedPropertyException.class,
                () -> read(yaml.replace("  - name: ", "  - nmae: "), "source typo"));
        // a field of the metadata: fabric8 keeps it aside, StrictModel refuses it
        assertThrows(AssertionError.class,
                () -> read(yaml.replace("  labels:\n", "  lables:\n"), "metadata typo"));
        // a string where the model has a number
        assertThrows(JsonProcessingException.class,
                () -> read(yaml.replace("\n  replicas: 2\n", "\n  replicas: two\n"), "type"));
    }
}

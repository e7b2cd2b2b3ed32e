package org.elves.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The content of a config node: a JSON object (nested objects flatten with dots) or, if the
 * text does not start with '{' or '[', Java properties text. Keys stay relative to the node;
 * {@link ZooKeeperPaths} adds the {@code elves.} or {@code elves.<component>.} prefix.
 */
final class NodeFormat {
    /** Source text is kept out of parse errors, so a malformed node never leaks a secret to the log. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private NodeFormat() {
    }

    /** Relative keys to string values; empty for a node without data. */
    static Map<String, String> parse(byte[] data) {
        Map<String, String> values = new LinkedHashMap<>();
        parseLeaves(data).forEach((key, leaf) -> values.put(key, asText(leaf)));
        return values;
    }

    /**
     * Relative keys to JSON leaves (scalars or arrays). The writer merges on leaves so numbers
     * and booleans an operator wrote stay numbers and booleans in the node.
     */
    static Map<String, JsonNode> parseLeaves(byte[] data) {
        String text = data == null ? "" : new String(data, StandardCharsets.UTF_8).strip();
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1).strip();
        }
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return leaves;
        }
        if (text.charAt(0) == '{' || text.charAt(0) == '[') {
            JsonNode root = readJson(text);
            if (!root.isObject()) {
                throw new ConfigException("expected a JSON object, found a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            flatten("", root, leaves);
        } else {
            readProperties(text).forEach((key, value) -> leaves.put(key, JsonNodeFactory.instance.textNode(value)));
        }
        return leaves;
    }

    /** A flat JSON object, keys sorted so diffs of a node stay readable. */
    static byte[] render(Map<String, ?> relative) {
        ObjectNode node = JSON.createObjectNode();
        new TreeMap<>(relative).forEach((key, value) -> {
            if (value != null) {
                node.set(key, value instanceof JsonNode json ? json : JSON.valueToTree(value));
            }
        });
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new ConfigException("Cannot render config as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException("not valid JSON" + where, e);
        }
    }

    private static Map<String, String> readProperties(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("not valid properties text: " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        return values;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> leaves) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, leaves);
            } else if (!value.isNull()) {
                leaves.put(key, value);
            }
        }
    }

    /**
     * Scalars as their text; an array of scalars as comma-separated items (what
     * {@code getList} reads); any other array as its JSON text.
     */
    private static String asText(JsonNode leaf) {
        if (leaf.isValueNode()) {
            return leaf.asText();
        }
        StringBuilder joined = new StringBuilder();
        for (JsonNode item : leaf) {
            if (!item.isValueNode()) {
                return leaf.toString();
            }
            if (!joined.isEmpty()) {
                joined.append(',');
            }
            joined.append(item.asText());
        }
        return joined.toString();
    }
}

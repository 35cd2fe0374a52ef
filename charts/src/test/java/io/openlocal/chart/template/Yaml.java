package io.openlocal.chart.template;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * YAML in and out as Helm sees it: values read with every number as float64 (Double), and toYaml output
 * with sorted keys, no document marker and no trailing newline. Duplicate keys are errors (the API server's
 * strict decoding rejects them too).
 */
public final class Yaml {

    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Yaml() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads a YAML mapping as Helm reads values: maps, lists, strings, booleans, Double numbers. */
    public static Map<String, Object> readValues(String yaml) {
        try {
            Object tree = MAPPER.readValue(yaml, new TypeReference<Object>() { });
            if (tree == null) {
                return new LinkedHashMap<>();
            }
            if (!(tree instanceof Map)) {
                throw new TemplateException("values must be a YAML mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) asHelmValue(tree);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Numbers become Double (Helm's float64); containers are copied. */
    static Object asHelmValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), asHelmValue(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(asHelmValue(v)));
            return copy;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        return value;
    }

    /** Helm's toYaml. */
    static String toYaml(Object value) {
        try {
            String text = MAPPER.writeValueAsString(forOutput(value));
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Helm's toJson. */
    static String toJson(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(forOutput(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // JSON has no float/int distinction: whole floats print as integers, and maps are sorted by key.
    private static Object forOutput(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), forOutput(v)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(forOutput(v)));
            return copy;
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
            return d.longValue();
        }
        return value;
    }
}

package io.openlocal.controller.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The project's CRDs ({@code charts/open-local/crds}) as JSON Schemas: each version's {@code openAPIV3Schema}
 * is a JSON Schema in the OpenAPI 3.0 subset (type, properties, items, required, pattern, min/max lengths and
 * items, additionalProperties, formats), which draft 7 validates the same way. On top, {@link #pruned} does what
 * the API server's structural-schema pruning does: it lists the fields the schema does not declare, which a
 * real API server silently drops.
 */
final class CrdSchemas {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode schema;
    private final JsonSchema validator;

    private CrdSchemas(JsonNode schema) {
        this.schema = schema;
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        this.validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema, config);
    }

    /** The v1alpha1 schema of the CRD in that file of {@code charts/open-local/crds}. */
    static CrdSchemas load(String fileName) {
        Path file = repoRoot().resolve("charts/open-local/crds").resolve(fileName);
        try {
            JsonNode crd = YAML.readTree(Files.readString(file));
            for (JsonNode version : crd.path("spec").path("versions")) {
                if (version.path("name").asText().equals("v1alpha1")) {
                    return new CrdSchemas(version.path("schema").path("openAPIV3Schema"));
                }
            }
            throw new IllegalStateException(file + " has no v1alpha1 version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema node at a dotted path of properties, for example {@code status.properties.conditions}. */
    JsonNode schemaAt(String... properties) {
        JsonNode node = schema;
        for (String p : properties) {
            node = node.path("properties").path(p);
        }
        return node;
    }

    /** Validation messages, each naming the instance location ({@code $.spec.nodeName: ...}). */
    List<String> validate(JsonNode object) {
        List<String> messages = new ArrayList<>();
        for (ValidationMessage m : validator.validate(object)) {
            messages.add(m.getMessage());
        }
        return messages;
    }

    /** Fields an API server would prune, as dotted paths with list indexes ({@code spec.nodesConfig[1].x}). */
    List<String> pruned(JsonNode object) {
        List<String> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            // apiVersion, kind and metadata are the API server's own; metadata is never pruned by the CRD schema
            if (f.getKey().equals("metadata") || f.getKey().equals("apiVersion") || f.getKey().equals("kind")) {
                continue;
            }
            JsonNode sub = schema.path("properties").get(f.getKey());
            if (sub == null) {
                out.add(f.getKey());
            } else {
                walk(sub, f.getValue(), f.getKey(), out);
            }
        }
        return out;
    }

    private static void walk(JsonNode schema, JsonNode value, String path, List<String> out) {
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value.isObject()) {
            JsonNode props = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                String at = path + "." + f.getKey();
                if (props != null && props.has(f.getKey())) {
                    walk(props.get(f.getKey()), f.getValue(), at, out);
                } else if (additional != null && additional.isObject()) {
                    walk(additional, f.getValue(), at, out);
                } else {
                    out.add(at);
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(schema.get("items"), value.get(i), path + "[" + i + "]", out);
            }
        }
    }

    static JsonNode readSample(String resource) {
        try (var in = CrdSchemas.class.getResourceAsStream("/open-local-samples/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("charts/open-local/crds"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find charts/open-local/crds above " + Path.of("").toAbsolutePath());
    }
}

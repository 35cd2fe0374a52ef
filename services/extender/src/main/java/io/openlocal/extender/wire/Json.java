package io.openlocal.extender.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The extender's JSON codec: bounded against hostile bodies (nesting depth, string and number lengths,
 * duplicate keys, trailing garbage), and field lookup that, like Go's encoding/json, matches names
 * case-insensitively ({@code Pod}/{@code pod}, {@code NodeNames}/{@code nodenames}).
 */
public final class Json {

    /** A Pod or Node is nested a dozen levels deep; anything past this is an attack or a mistake. */
    static final int MAX_DEPTH = 64;

    private static final ObjectMapper MAPPER = createMapper();
    /** For reading parts of a stream as trees: the caller checks what follows them. */
    private static final ObjectMapper PART_MAPPER = MAPPER.copy().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A streaming parser over {@code body} whose {@code readValueAsTree} reads one value and stops. */
    public static com.fasterxml.jackson.core.JsonParser streamParser(byte[] body) throws java.io.IOException {
        return PART_MAPPER.createParser(body);
    }

    private static ObjectMapper createMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(1 << 20)
                        .maxNumberLength(64)
                        .maxNameLength(1024)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(JsonParser.Feature.ALLOW_COMMENTS);
        return mapper;
    }

    /** The field named {@code name}, matched exactly first and then ignoring case; null when absent. */
    public static JsonNode field(JsonNode object, String name) {
        if (!(object instanceof ObjectNode o)) {
            return null;
        }
        JsonNode exact = o.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** True when the field is absent or JSON null. */
    public static boolean missing(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }
}

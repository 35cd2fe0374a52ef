package io.openlocal.extender.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.scheduling.selection.FilterOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes kube-scheduler's {@code ExtenderFilterResult} and {@code HostPriorityList}, with the field names Go's
 * encoding/json gives them (no json tags: {@code NodeNames}, {@code FailedNodes}, {@code Host}, {@code Score}).
 */
public final class ExtenderResponses {

    private ExtenderResponses() {
    }

    /**
     * The filter's answer. When the request carried full {@code Nodes}, the passing Node objects are echoed in
     * {@code Nodes.items} (what a scheduler that is not node-cache capable reads); {@code NodeNames} is always set.
     */
    public static byte[] filterResult(FilterOutcome outcome, List<String> askedNames, List<JsonNode> nodeItems,
                                      String error) {
        if (nodeItems == null) {
            return namesOnly(outcome, error);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + outcome.passed().size() * 24);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("Nodes");
            if (nodeItems == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeStringField("apiVersion", "v1");
                g.writeStringField("kind", "NodeList");
                g.writeObjectFieldStart("metadata");
                g.writeEndObject();
                g.writeArrayFieldStart("items");
                java.util.Set<String> passed = new java.util.HashSet<>(outcome.passed());
                for (int i = 0; i < nodeItems.size(); i++) {
                    if (passed.contains(askedNames.get(i))) {
                        g.writeTree(nodeItems.get(i));
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeArrayFieldStart("NodeNames");
            for (String name : outcome.passed()) {
                g.writeString(name);
            }
            g.writeEndArray();
            writeMap(g, "FailedNodes", outcome.failed());
            writeMap(g, "FailedAndUnresolvableNodes", outcome.unresolvable());
            g.writeStringField("Error", error == null ? "" : error);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The prioritizer's answer: one {@code {"Host", "Score"}} per node asked about, in order. Written by hand: node
     * names were checked to be DNS names on the way in, so none needs escaping, and this is a thousand entries.
     */
    public static byte[] priorities(List<String> names, long[] scores) {
        StringBuilder sb = new StringBuilder(16 + names.size() * 40);
        sb.append('[');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"Host\":\"").append(names.get(i)).append("\",\"Score\":").append(scores[i]).append('}');
        }
        sb.append(']');
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * The node-cache-capable answer, written by hand: node names were checked to be DNS names on the way in, so
     * only the reasons need JSON escaping.
     */
    private static byte[] namesOnly(FilterOutcome outcome, String error) {
        StringBuilder sb = new StringBuilder(96 + outcome.passed().size() * 16 + outcome.failedCount() * 96);
        sb.append("{\"Nodes\":null,\"NodeNames\":[");
        List<String> passed = outcome.passed();
        for (int i = 0; i < passed.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(passed.get(i)).append('"');
        }
        sb.append("],\"FailedNodes\":");
        appendMap(sb, outcome.failed());
        sb.append(",\"FailedAndUnresolvableNodes\":");
        appendMap(sb, outcome.unresolvable());
        sb.append(",\"Error\":\"");
        STRINGS.quoteAsString(error == null ? "" : error, sb);
        sb.append("\"}");
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static final com.fasterxml.jackson.core.io.JsonStringEncoder STRINGS =
            com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();

    private static void appendMap(StringBuilder sb, Map<String, String> map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\":\"");
            STRINGS.quoteAsString(e.getValue(), sb);
            sb.append('"');
        }
        sb.append('}');
    }

    private static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}

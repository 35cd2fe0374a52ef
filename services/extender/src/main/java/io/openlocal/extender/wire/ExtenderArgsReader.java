package io.openlocal.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.QuantityFormatException;
import io.openlocal.backend.error.StorageException;
import io.openlocal.scheduling.catalog.PodVolumes;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes and checks a kube-scheduler {@code ExtenderArgs} body ({@code {"Pod": {...}, "NodeNames": [...]}} or
 * {@code {"Pod": {...}, "Nodes": {"items": [...]}}}). Every fault is {@link StorageException.InvalidArgument}
 * with a message naming the field, which the routes answer with 400.
 */
public final class ExtenderArgsReader {

    /** Kubernetes quantity syntax with a bounded decimal exponent. */
    private static final java.util.regex.Pattern QUANTITY = java.util.regex.Pattern.compile(
            "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,2}|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?");

    private final int maxNodes;

    public ExtenderArgsReader(int maxNodes) {
        this.maxNodes = maxNodes;
    }

    /**
     * Decodes a body. The top level is read as a stream, so the thousands of node names a request may carry are
     * checked as they are read rather than first built into a tree; the Pod and a full NodeList are read as trees.
     */
    public ExtenderRequest read(byte[] body) {
        if (body == null || body.length == 0) {
            throw bad("empty body; expected kube-scheduler ExtenderArgs JSON");
        }
        JsonNode pod = null;
        List<String> names = null;
        JsonNode nodes = null;
        try (JsonParser p = Json.streamParser(body)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw bad("ExtenderArgs must be a JSON object");
            }
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                String key = field.toLowerCase(java.util.Locale.ROOT);
                JsonToken value = p.nextToken();
                if (!seen.add(key)) {
                    throw bad("ExtenderArgs has the field " + KubeNames.quote(field) + " twice");
                }
                switch (key) {
                    case "pod" -> pod = value == JsonToken.VALUE_NULL ? null : p.readValueAsTree();
                    case "nodenames" -> names = value == JsonToken.VALUE_NULL ? null : nodeNames(p, value);
                    case "nodes" -> nodes = value == JsonToken.VALUE_NULL ? null : p.readValueAsTree();
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw bad("malformed JSON: expected a field name or '}'");
            }
            if (p.nextToken() != null) {
                throw bad("malformed JSON: trailing content after the ExtenderArgs object");
            }
        } catch (StreamConstraintsException e) {
            throw bad("JSON exceeds a limit: " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw bad("malformed JSON: " + firstLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw bad("unreadable body: " + firstLine(e.getMessage()));
        }
        if (pod == null) {
            throw bad("ExtenderArgs.Pod is required");
        }
        PodVolumes podVolumes = pod(pod);
        if (names != null) {
            return new ExtenderRequest(podVolumes, names, null);
        }
        if (nodes != null) {
            return nodeList(podVolumes, nodes);
        }
        throw bad("ExtenderArgs has neither NodeNames nor Nodes");
    }

    private List<String> nodeNames(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            throw bad("ExtenderArgs.NodeNames must be an array of node names, got " + describe(start));
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int i = out.size();
            if (i >= maxNodes) {
                throw bad("ExtenderArgs.NodeNames has more than " + maxNodes + " entries; at most " + maxNodes
                        + " are accepted");
            }
            if (t != JsonToken.VALUE_STRING) {
                throw bad("ExtenderArgs.NodeNames[" + i + "] must be a string, got " + describe(t));
            }
            out.add(nodeName("ExtenderArgs.NodeNames[" + i + "]", p.getText()));
        }
        return out;
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "OBJECT";
            case START_ARRAY -> "ARRAY";
            case VALUE_STRING -> "STRING";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
            case VALUE_NULL -> "NULL";
            default -> t.name();
        };
    }

    private ExtenderRequest nodeList(PodVolumes pod, JsonNode nodes) {
        if (!nodes.isObject()) {
            throw bad("ExtenderArgs.Nodes must be a NodeList object, got " + nodes.getNodeType());
        }
        JsonNode items = Json.field(nodes, "items");
        if (Json.missing(items)) {
            return new ExtenderRequest(pod, List.of(), List.of());
        }
        if (!items.isArray()) {
            throw bad("ExtenderArgs.Nodes.items must be an array, got " + items.getNodeType());
        }
        if (items.size() > maxNodes) {
            throw bad("ExtenderArgs.Nodes.items has " + items.size() + " entries; at most " + maxNodes + " are accepted");
        }
        List<String> names = new ArrayList<>(items.size());
        List<JsonNode> kept = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String field = "ExtenderArgs.Nodes.items[" + i + "]";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw bad(field + " must be a Node object, got " + item.getNodeType());
            }
            JsonNode name = Json.field(Json.field(item, "metadata"), "name");
            if (name == null || !name.isTextual()) {
                throw bad(field + ".metadata.name must be a string");
            }
            names.add(nodeName(field + ".metadata.name", name.textValue()));
            kept.add(item);
        }
        return new ExtenderRequest(pod, names, kept);
    }

    private static String nodeName(String field, String value) {
        if (!KubeNames.isSubdomain(value)) {
            throw bad(field + ": " + KubeNames.quote(value) + " is not a node name (lowercase DNS subdomain, at most"
                    + " 253 characters)");
        }
        return value;
    }

    private static PodVolumes pod(JsonNode pod) {
        if (!pod.isObject()) {
            throw bad("ExtenderArgs.Pod must be a Pod object, got " + pod.getNodeType());
        }
        JsonNode metadata = Json.field(pod, "metadata");
        if (metadata == null || !metadata.isObject()) {
            throw bad("Pod.metadata must be an object");
        }
        String name = text(metadata, "name", "Pod.metadata.name", true);
        if (!KubeNames.isSubdomain(name)) {
            throw bad("Pod.metadata.name: " + KubeNames.quote(name) + " is not a pod name");
        }
        String namespace = text(metadata, "namespace", "Pod.metadata.namespace", false);
        if (namespace == null || namespace.isEmpty()) {
            namespace = "default";
        } else if (!KubeNames.isLabel(namespace)) {
            throw bad("Pod.metadata.namespace: " + KubeNames.quote(namespace) + " is not a namespace name");
        }
        JsonNode spec = Json.field(pod, "spec");
        if (Json.missing(spec)) {
            return new PodVolumes(namespace, name, List.of());
        }
        if (!spec.isObject()) {
            throw bad("Pod.spec must be an object, got " + spec.getNodeType());
        }
        JsonNode volumes = Json.field(spec, "volumes");
        if (Json.missing(volumes)) {
            return new PodVolumes(namespace, name, List.of());
        }
        if (!volumes.isArray()) {
            throw bad("Pod.spec.volumes must be an array, got " + volumes.getNodeType());
        }
        List<PodVolumes.Source> sources = new ArrayList<>();
        Set<String> volumeNames = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            String field = "Pod.spec.volumes[" + i + "]";
            JsonNode v = volumes.get(i);
            if (!v.isObject()) {
                throw bad(field + " must be an object, got " + v.getNodeType());
            }
            String volumeName = text(v, "name", field + ".name", true);
            if (!volumeNames.add(volumeName)) {
                throw bad(field + ".name: volume " + KubeNames.quote(volumeName) + " is listed twice");
            }
            JsonNode pvc = Json.field(v, "persistentVolumeClaim");
            JsonNode ephemeral = Json.field(v, "ephemeral");
            if (!Json.missing(pvc)) {
                if (!pvc.isObject()) {
                    throw bad(field + ".persistentVolumeClaim must be an object");
                }
                String claim = text(pvc, "claimName", field + ".persistentVolumeClaim.claimName", true);
                if (!KubeNames.isSubdomain(claim)) {
                    throw bad(field + ".persistentVolumeClaim.claimName: " + KubeNames.quote(claim)
                            + " is not a claim name");
                }
                sources.add(new PodVolumes.ClaimSource(volumeName, claim));
            } else if (!Json.missing(ephemeral)) {
                sources.add(ephemeral(field + ".ephemeral", volumeName, name, ephemeral));
            }
        }
        return new PodVolumes(namespace, name, sources);
    }

    private static PodVolumes.Source ephemeral(String field, String volumeName, String podName, JsonNode ephemeral) {
        if (!ephemeral.isObject()) {
            throw bad(field + " must be an object");
        }
        if (!KubeNames.isSubdomain(podName + "-" + volumeName)) {
            throw bad(field + ": the claim name " + KubeNames.quote(podName + "-" + volumeName)
                    + " it would get is not a valid name");
        }
        JsonNode spec = Json.field(Json.field(ephemeral, "volumeClaimTemplate"), "spec");
        if (spec == null || !spec.isObject()) {
            throw bad(field + ".volumeClaimTemplate.spec must be an object");
        }
        String storageClass = text(spec, "storageClassName", field + ".volumeClaimTemplate.spec.storageClassName",
                false);
        JsonNode storage = Json.field(Json.field(Json.field(spec, "resources"), "requests"), "storage");
        String sizeField = field + ".volumeClaimTemplate.spec.resources.requests.storage";
        if (Json.missing(storage)) {
            throw bad(sizeField + " is required");
        }
        if (!storage.isTextual() && !storage.isNumber()) {
            throw bad(sizeField + " must be a quantity such as \"10Gi\", got " + storage.getNodeType());
        }
        return new PodVolumes.EphemeralSource(volumeName, storageClass, quantityBytes(sizeField, storage.asText()));
    }

    /** A storage quantity in whole bytes (rounded up), which must be positive. */
    public static long quantityBytes(String field, String text) {
        // Checked before client-java parses it: an exponent such as 1e999999999 would make it compute for ages.
        if (text.length() > 64 || !QUANTITY.matcher(text).matches()) {
            throw bad(field + ": " + KubeNames.quote(text) + " is not a quantity (e.g. 10Gi, 500M)");
        }
        BigDecimal number;
        try {
            number = new Quantity(text).getNumber();
        } catch (QuantityFormatException | NumberFormatException | ArithmeticException e) {
            throw bad(field + ": " + KubeNames.quote(text) + " is not a quantity (e.g. 10Gi, 500M)");
        }
        if (number.signum() <= 0) {
            throw bad(field + ": " + KubeNames.quote(text) + " must be positive");
        }
        if (number.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw bad(field + ": " + KubeNames.quote(text) + " is too large");
        }
        return number.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static String text(JsonNode object, String name, String field, boolean required) {
        JsonNode value = Json.field(object, name);
        if (Json.missing(value)) {
            if (required) {
                throw bad(field + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw bad(field + " must be a string, got " + value.getNodeType());
        }
        return value.textValue();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static StorageException.InvalidArgument bad(String message) {
        return new StorageException.InvalidArgument(message);
    }
}

package io.openlocal.backend.spdk.target;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.backend.error.StorageException;

/** Reads members of the target's answers; a missing or mistyped member is an answer we cannot understand. */
final class Json {

    private Json() {
    }

    static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.isTextual()) {
            throw new StorageException.Internal("SPDK answer lacks text member '" + member + "': " + abbreviate(node));
        }
        return value.asText();
    }

    static long number(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.isIntegralNumber()) {
            throw new StorageException.Internal("SPDK answer lacks number member '" + member + "': " + abbreviate(node));
        }
        return value.asLong();
    }

    static boolean bool(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || !value.isBoolean()) {
            throw new StorageException.Internal("SPDK answer lacks boolean member '" + member + "': " + abbreviate(node));
        }
        return value.asBoolean();
    }

    static JsonNode array(JsonNode node, String what) {
        if (node == null || !node.isArray()) {
            throw new StorageException.Internal("SPDK answer to " + what + " is not an array: " + abbreviate(node));
        }
        return node;
    }

    static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}

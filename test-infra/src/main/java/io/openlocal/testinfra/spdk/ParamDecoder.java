package io.openlocal.testinfra.spdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decodes a params object the way the target's {@code spdk_json_decode_object} does: every declared member
 * is checked for its type, required members must be present, and an undeclared member fails the decode
 * unless the method decodes "relaxed". A failure is reported with the method's own code and message (the
 * target's handlers differ: -32603 "spdk_json_decode_object failed" for bdev methods, -32602 "Invalid
 * parameters" for nvmf methods).
 */
final class ParamDecoder {

    enum Type { STRING, BOOL, UINT8, UINT16, UINT32, UINT64, INT32, UUID, OBJECT, ANY }

    record Field(String name, Type type, boolean required) {
    }

    private final Map<String, Field> fields = new LinkedHashMap<>();
    private final boolean relaxed;
    private final RpcException failure;

    private ParamDecoder(List<Field> fields, boolean relaxed, RpcException failure) {
        for (Field f : fields) {
            this.fields.put(f.name(), f);
        }
        this.relaxed = relaxed;
        this.failure = failure;
    }

    static ParamDecoder strict(RpcException failure, Field... fields) {
        return new ParamDecoder(List.of(fields), false, failure);
    }

    static ParamDecoder relaxed(RpcException failure, Field... fields) {
        return new ParamDecoder(List.of(fields), true, failure);
    }

    static Field req(String name, Type type) {
        return new Field(name, type, true);
    }

    static Field opt(String name, Type type) {
        return new Field(name, type, false);
    }

    /** Decodes {@code params}; a missing or non-object value fails like the target's decoder does. */
    Params decode(JsonNode params) {
        if (params == null || !params.isObject()) {
            throw failure;
        }
        for (Map.Entry<String, JsonNode> member : params.properties()) {
            Field field = fields.get(member.getKey());
            if (field == null) {
                if (!relaxed) {
                    throw failure;
                }
                continue;
            }
            if (!matches(field.type(), member.getValue())) {
                throw failure;
            }
        }
        for (Field field : fields.values()) {
            if (field.required() && !params.has(field.name())) {
                throw failure;
            }
        }
        return new Params(params, failure);
    }

    private static boolean matches(Type type, JsonNode value) {
        return switch (type) {
            case STRING -> value.isTextual();
            case BOOL -> value.isBoolean();
            case UINT8 -> inRange(value, BigInteger.ZERO, BigInteger.valueOf(255));
            case UINT16 -> inRange(value, BigInteger.ZERO, BigInteger.valueOf(65535));
            case UINT32 -> inRange(value, BigInteger.ZERO, BigInteger.valueOf(4294967295L));
            case UINT64 -> inRange(value, BigInteger.ZERO, BigInteger.TWO.pow(64).subtract(BigInteger.ONE));
            case INT32 -> inRange(value, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
            case UUID -> value.isTextual() && isUuid(value.asText());
            case OBJECT -> value.isObject();
            case ANY -> true;
        };
    }

    private static boolean inRange(JsonNode value, BigInteger min, BigInteger max) {
        if (!value.isIntegralNumber()) {
            return false;
        }
        BigInteger v = value.bigIntegerValue();
        return v.compareTo(min) >= 0 && v.compareTo(max) <= 0;
    }

    static boolean isUuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Decoded params: typed accessors over members already checked by the decoder. */
    static final class Params {
        private final JsonNode node;
        private final RpcException failure;
        private final boolean given;

        Params(JsonNode node, RpcException failure) {
            this(node, failure, true);
        }

        private Params(JsonNode node, RpcException failure, boolean given) {
            this.node = node;
            this.failure = failure;
            this.given = given;
        }

        /** For methods whose params are optional and were absent. */
        static Params none() {
            return new Params(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                    RpcException.decodeFailed(), false);
        }

        /** Whether the request carried params at all ({@code {}} counts). */
        boolean given() {
            return given;
        }

        boolean has(String name) {
            return node.has(name) && !node.get(name).isNull();
        }

        String string(String name) {
            return has(name) ? node.get(name).asText() : null;
        }

        boolean bool(String name, boolean defaultValue) {
            return has(name) ? node.get(name).asBoolean() : defaultValue;
        }

        long number(String name, long defaultValue) {
            return has(name) ? node.get(name).longValue() : defaultValue;
        }

        JsonNode node(String name) {
            return node.get(name);
        }

        /** Decodes a nested object member with its own decoder; failing it fails the whole call. */
        Params nested(String name, ParamDecoder decoder) {
            try {
                return decoder.decode(node.get(name));
            } catch (RpcException e) {
                throw failure;
            }
        }
    }
}

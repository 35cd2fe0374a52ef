package io.openlocal.testinfra.spdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one top-level JSON value into what the target sends back, following its JSON-RPC layer: an object
 * is one request, an array is a batch answered with an array, anything else is "Invalid request". A
 * request with no id (or a null id) is a notification: a result is not sent, an error is (with a null id).
 * A request that is not well formed (unknown member, no method, bad jsonrpc, id or params type) gets
 * -32600 with a null id. Every method runs under the state's monitor, as the target runs RPCs on one thread.
 */
final class RpcDispatcher {

    /** What to do with the connection after a value. */
    sealed interface Outcome permits Reply, Silent, Garbage, Close {
    }

    record Reply(String line) implements Outcome {
    }

    record Silent() implements Outcome {
    }

    record Garbage(String line) implements Outcome {
    }

    record Close() implements Outcome {
    }

    private static final Set<String> ENVELOPE = Set.of("jsonrpc", "method", "params", "id");

    private final ObjectMapper mapper;
    private final TargetState state;
    private final Map<String, RpcHandler> methods = new LinkedHashMap<>();
    private final Faults faults;

    RpcDispatcher(ObjectMapper mapper, TargetState state, Faults faults) {
        this.mapper = mapper;
        this.state = state;
        this.faults = faults;
        Dumps dumps = new Dumps(mapper);
        new FrameworkMethods(methods).register();
        new BdevMethods(state, dumps).register(methods);
        new LvolMethods(state, dumps).register(methods);
        new NvmfMethods(state, dumps).register(methods);
        new VhostMethods(state, dumps).register(methods);
    }

    Outcome handle(JsonNode value) throws InterruptedException {
        if (value.isObject()) {
            Faults.Fault fault = faults.forMethod(value.path("method").isTextual() ? value.get("method").asText() : null);
            if (fault != null) {
                switch (fault.kind()) {
                    case CLOSE:
                        return new Close();
                    case GARBAGE:
                        return new Garbage("<html>this is not JSON-RPC</html>\n");
                    case HANG:
                        Thread.sleep(Long.MAX_VALUE);
                        break;
                    case DELAY:
                        Thread.sleep(fault.delay().toMillis());
                        break;
                }
            }
            ObjectNode response = single(value);
            return response == null ? new Silent() : new Reply(response.toString() + "\n");
        }
        if (value.isArray()) {
            if (value.isEmpty()) {
                return new Reply(error(null, RpcException.INVALID_REQUEST, "Invalid request").toString() + "\n");
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode element : value) {
                ObjectNode response = single(element);
                if (response != null) {
                    parts.add(response.toString());
                }
            }
            return parts.isEmpty() ? new Silent() : new Reply("[" + String.join(",", parts) + "]\n");
        }
        return new Reply(error(null, RpcException.INVALID_REQUEST, "Invalid request").toString() + "\n");
    }

    private ObjectNode single(JsonNode request) {
        if (!wellFormed(request)) {
            return error(null, RpcException.INVALID_REQUEST, "Invalid request");
        }
        JsonNode id = request.get("id");
        JsonNode params = request.get("params");
        if (params != null && params.isNull()) {
            params = null;
        }
        RpcHandler handler = methods.get(request.get("method").asText());
        if (handler == null) {
            return error(id, RpcException.METHOD_NOT_FOUND, "Method not found");
        }
        JsonNode result;
        try {
            synchronized (state) {
                result = handler.handle(params);
            }
        } catch (RpcException e) {
            return error(id, e.code(), e.getMessage());
        }
        if (id == null || id.isNull()) {
            return null;
        }
        ObjectNode response = mapper.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id);
        response.set("result", result);
        return response;
    }

    private static boolean wellFormed(JsonNode request) {
        if (!request.isObject()) {
            return false;
        }
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            if (!ENVELOPE.contains(names.next())) {
                return false;
            }
        }
        JsonNode version = request.get("jsonrpc");
        if (version != null && !(version.isTextual() && version.asText().equals("2.0"))) {
            return false;
        }
        JsonNode method = request.get("method");
        if (method == null || !method.isTextual()) {
            return false;
        }
        JsonNode id = request.get("id");
        if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
            return false;
        }
        JsonNode params = request.get("params");
        return params == null || params.isNull() || params.isObject() || params.isArray();
    }

    private ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode response = mapper.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id == null ? NullNode.instance : id);
        response.putObject("error").put("code", code).put("message", message);
        return response;
    }

}

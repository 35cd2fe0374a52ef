package io.openlocal.testinfra.spdk;

import static io.openlocal.testinfra.spdk.ParamDecoder.opt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openlocal.testinfra.spdk.ParamDecoder.Type;
import java.util.Map;

/**
 * spdk_get_version, rpc_get_methods and framework_wait_init. The emulator reports the version of the
 * target it was recorded from; rpc_get_methods lists only the methods the emulator implements (the real
 * build lists 223), so a client that probes for a method learns the truth about this target.
 */
final class FrameworkMethods {

    static final String VERSION = "SPDK v26.05 git sha1 d519b163cb";

    private final Map<String, RpcHandler> table;

    FrameworkMethods(Map<String, RpcHandler> table) {
        this.table = table;
    }

    void register() {
        table.put("spdk_get_version", RpcHandler.noParams("spdk_get_version method requires no parameters",
                FrameworkMethods::version));
        table.put("rpc_get_methods", RpcHandler.optionalParams(ParamDecoder.strict(
                RpcException.invalidParameters(), opt("current", Type.BOOL), opt("include_aliases", Type.BOOL)),
                p -> {
                    ArrayNode names = JsonNodeFactory.instance.arrayNode();
                    table.keySet().forEach(names::add);
                    return names;
                }));
        // The target answers framework_wait_init without looking at its params.
        table.put("framework_wait_init", params -> BooleanNode.TRUE);
    }

    private static JsonNode version() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("version", VERSION);
        o.putObject("fields").put("major", 26).put("minor", 5).put("patch", 0).put("suffix", "")
                .put("commit", "d519b163cb");
        return o;
    }
}

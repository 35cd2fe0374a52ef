package io.openlocal.testinfra.spdk;

import static io.openlocal.testinfra.spdk.ParamDecoder.opt;
import static io.openlocal.testinfra.spdk.ParamDecoder.req;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.openlocal.testinfra.spdk.ParamDecoder.Params;
import io.openlocal.testinfra.spdk.ParamDecoder.Type;
import java.nio.file.Path;
import java.util.Map;

/**
 * vhost_* methods for vhost-user-blk controllers. Each controller's socket is
 * {@code <vhost socket dir>/<controller name>} (the target's {@code -S} option). Failures are -32602 with
 * strerror, except vhost_get_controllers which answers -32603.
 */
final class VhostMethods {

    private final TargetState state;
    private final Dumps dumps;

    VhostMethods(TargetState state, Dumps dumps) {
        this.state = state;
        this.dumps = dumps;
    }

    void register(Map<String, RpcHandler> table) {
        table.put("vhost_create_blk_controller", RpcHandler.decoding(ParamDecoder.relaxed(
                RpcException.invalidParams(Errno.EINVAL), req("ctrlr", Type.STRING), req("dev_name", Type.STRING),
                opt("cpumask", Type.STRING), opt("transport", Type.STRING)), this::create));
        table.put("vhost_delete_controller", RpcHandler.decoding(ParamDecoder.strict(
                RpcException.invalidParams(Errno.EINVAL), req("ctrlr", Type.STRING)), this::delete));
        table.put("vhost_get_controllers", RpcHandler.optionalParams(ParamDecoder.strict(
                RpcException.internal(Errno.EINVAL), opt("name", Type.STRING)), this::get));
    }

    private JsonNode create(Params p) {
        String transport = p.has("transport") ? p.string("transport") : "vhost_user_blk";
        if (!transport.equalsIgnoreCase("vhost_user_blk")) {
            throw RpcException.invalidParams(Errno.EINVAL);
        }
        Bdev bdev = state.bdev(p.string("dev_name"));
        if (bdev == null) {
            throw RpcException.invalidParams(Errno.ENODEV);
        }
        if (bdev.claimed()) {
            throw RpcException.invalidParams(Errno.EPERM);
        }
        String name = p.string("ctrlr");
        if (state.vhostControllers.containsKey(name)) {
            throw RpcException.invalidParams(Errno.EEXIST);
        }
        Path socket = state.vhostSocketDir.resolve(name);
        if (socket.toString().length() >= 4096) {
            throw RpcException.invalidParams(Errno.EINVAL);
        }
        state.vhostControllers.put(name, VhostController.open(name, bdev, socket));
        return BooleanNode.TRUE;
    }

    private JsonNode delete(Params p) {
        VhostController controller = state.vhostControllers.remove(p.string("ctrlr"));
        if (controller == null) {
            throw RpcException.invalidParams(Errno.ENODEV);
        }
        controller.close();
        return BooleanNode.TRUE;
    }

    private JsonNode get(Params p) {
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        if (p.has("name")) {
            VhostController controller = state.vhostControllers.get(p.string("name"));
            if (controller == null) {
                throw RpcException.internal(Errno.ENODEV);
            }
            result.add(dumps.vhostController(controller));
            return result;
        }
        state.vhostControllers.values().forEach(c -> result.add(dumps.vhostController(c)));
        return result;
    }
}

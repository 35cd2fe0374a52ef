package io.openlocal.testinfra.spdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import java.util.function.Supplier;

/** One RPC method of the emulated target. {@code params} is null when the request had none (or null). */
@FunctionalInterface
interface RpcHandler {

    JsonNode handle(JsonNode params);

    /** A method whose params must decode (absent params fail the decode, as on the target). */
    static RpcHandler decoding(ParamDecoder decoder, Function<ParamDecoder.Params, JsonNode> body) {
        return params -> body.apply(decoder.decode(params));
    }

    /** A method whose params are optional: absent means "all" (listing methods). */
    static RpcHandler optionalParams(ParamDecoder decoder, Function<ParamDecoder.Params, JsonNode> body) {
        return params -> body.apply(params == null ? ParamDecoder.Params.none() : decoder.decode(params));
    }

    /** A method that takes no params and says so with its own message when given some. */
    static RpcHandler noParams(String message, Supplier<JsonNode> body) {
        return params -> {
            if (params != null) {
                throw new RpcException(RpcException.INVALID_PARAMS, message);
            }
            return body.get();
        };
    }
}

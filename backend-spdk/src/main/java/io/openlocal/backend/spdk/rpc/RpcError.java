package io.openlocal.backend.spdk.rpc;

/** The error member of a JSON-RPC answer, exactly as the target sent it. */
public record RpcError(int code, String message) {

    /** Whether this is the given code with the given message (the target mixes codes, so both matter). */
    public boolean is(int expectedCode, String expectedMessage) {
        return code == expectedCode && expectedMessage.equals(message);
    }

    @Override
    public String toString() {
        return message + " (code " + code + ")";
    }
}

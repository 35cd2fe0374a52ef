package io.openlocal.backend.spdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.error.StorageException.Kind;
import io.openlocal.backend.spdk.rpc.RpcError;
import io.openlocal.backend.spdk.rpc.SpdkErrors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every (code, message) pair the recorded target produced (PROTOCOL.md's error table) maps to one kind. */
class SpdkErrorsTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            -17    | File exists                                           | ALREADY_EXISTS
            -32602 | File exists                                           | ALREADY_EXISTS
            -19    | No such device                                        | NOT_FOUND
            -2     | No such file or directory                             | NOT_FOUND
            -1     | Operation not permitted                               | BUSY
            -32603 | Operation not permitted                               | BUSY
            -32602 | No space left on device                               | OUT_OF_CAPACITY
            -32602 | Invalid argument                                      | INVALID_ARGUMENT
            -32602 | Invalid parameters                                    | INVALID_ARGUMENT
            -32603 | Unable to create subsystem nqn.2016-06.io.spdk:cnode1 | ALREADY_EXISTS
            -32603 | Transport type 'TCP' already exists                   | ALREADY_EXISTS
            -32603 | spdk_json_decode_object failed                        | INVALID_ARGUMENT
            -32601 | Method not found                                      | UNSUPPORTED
            -32600 | Invalid request                                       | INVALID_ARGUMENT
            -32602 | spdk_get_version method requires no parameters       | INVALID_ARGUMENT
            -22    | Invalid clean_method option                           | INVALID_ARGUMENT
            -114   | A controller named x already exists and multipath is disabled | BUSY
            -5     | Input/output error                                    | UNAVAILABLE
            -32603 | Internal error                                        | INTERNAL
            """)
    void theTargetsErrorsMapByMessageAndCode(int code, String message, Kind kind) {
        RpcError error = new RpcError(code, message);
        assertThat(SpdkErrors.classify(error)).isEqualTo(kind);
        StorageException e = SpdkErrors.toException("bdev_x", null, error);
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.getMessage()).contains(message).contains("code " + code).contains("bdev_x");
    }
}

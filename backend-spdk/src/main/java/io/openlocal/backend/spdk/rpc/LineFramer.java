package io.openlocal.backend.spdk.rpc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reassembles the target's answers from whatever pieces the socket delivers: each answer is one JSON text
 * followed by '\n' (JSON never holds a raw newline inside a value). A line longer than the limit means
 * the peer is not an SPDK target (or is broken) and is reported instead of buffered forever.
 */
final class LineFramer {

    static final class TooLong extends Exception {
        TooLong(String message) {
            super(message, null, false, false);
        }
    }

    private final int maxLineBytes;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LineFramer(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** Consumes the readable bytes of a heap {@code buffer}; returns the lines they complete (without '\n'). */
    List<byte[]> feed(ByteBuffer buffer) throws TooLong {
        List<byte[]> lines = new ArrayList<>();
        byte[] bytes = buffer.array();
        int from = buffer.arrayOffset() + buffer.position();
        int limit = buffer.arrayOffset() + buffer.limit();
        for (int i = from; i < limit; i++) {
            if (bytes[i] == '\n') {
                append(bytes, from, i - from);
                if (partial.size() > 0) {
                    lines.add(partial.toByteArray());
                }
                partial.reset();
                from = i + 1;
            }
        }
        append(bytes, from, limit - from);
        buffer.position(buffer.limit());
        return lines;
    }

    private void append(byte[] bytes, int offset, int length) throws TooLong {
        if (partial.size() + length > maxLineBytes) {
            throw new TooLong("an answer longer than " + maxLineBytes + " bytes without a line end");
        }
        partial.write(bytes, offset, length);
    }

    /** Bytes of an answer that has begun but not ended. */
    int pendingBytes() {
        return partial.size();
    }
}

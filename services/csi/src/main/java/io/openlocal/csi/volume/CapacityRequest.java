package io.openlocal.csi.volume;

import io.openlocal.csi.grpc.Errors;
import io.openlocal.csi.v1.CapacityRange;

/**
 * A validated CSI capacity range: {@code requiredBytes} the least the volume may have, {@code limitBytes} the
 * most (0 = no limit).
 */
public record CapacityRequest(long requiredBytes, long limitBytes) {

    /**
     * Reads the request's range. Negative values and a limit below the required size are INVALID_ARGUMENT; no
     * range (or both 0) asks for {@code defaultBytes}, capped by a lone limit.
     */
    public static CapacityRequest of(boolean present, CapacityRange range, long defaultBytes) {
        long required = present ? range.getRequiredBytes() : 0;
        long limit = present ? range.getLimitBytes() : 0;
        if (required < 0) {
            throw Errors.invalid("capacity_range.required_bytes: must not be negative, got " + required);
        }
        if (limit < 0) {
            throw Errors.invalid("capacity_range.limit_bytes: must not be negative, got " + limit);
        }
        if (limit > 0 && required > limit) {
            throw Errors.outOfRange("capacity_range: required_bytes " + required + " exceeds limit_bytes " + limit);
        }
        if (required == 0) {
            required = limit > 0 ? Math.min(limit, defaultBytes) : defaultBytes;
        }
        return new CapacityRequest(required, limit);
    }

    /** Whether a volume of this size satisfies the range. */
    public boolean accepts(long sizeBytes) {
        return sizeBytes >= requiredBytes && (limitBytes == 0 || sizeBytes <= limitBytes);
    }
}

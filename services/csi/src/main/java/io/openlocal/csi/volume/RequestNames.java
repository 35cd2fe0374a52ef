package io.openlocal.csi.volume;

import io.openlocal.csi.grpc.Errors;
import java.nio.charset.StandardCharsets;

/** Checks for names the CO gives (CreateVolume and CreateSnapshot {@code name}). */
public final class RequestNames {

    /** The CSI size limit for strings. */
    public static final int MAX_NAME_BYTES = 128;

    private RequestNames() {
    }

    /**
     * A name is required, at most 128 bytes, without the control characters the specification bans
     * (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+007F-U+009F).
     */
    public static String require(String field, String name) {
        if (name.isEmpty()) {
            throw Errors.invalid(field + ": is required");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw Errors.invalid(field + ": " + bytes + " bytes is longer than the " + MAX_NAME_BYTES + " allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean banned = c <= 0x08 || c == 0x0B || c == 0x0C || (c >= 0x0E && c <= 0x1F) || (c >= 0x7F && c <= 0x9F);
            if (banned) {
                throw Errors.invalid(field + ": contains the control character U+" + String.format("%04X", (int) c));
            }
        }
        return name;
    }
}

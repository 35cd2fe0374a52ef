package io.openlocal.device.claim;

import io.openlocal.device.discovery.DiscoveredDevice;
import java.util.Objects;
import java.util.Optional;

/**
 * A device claim together with where its disk is now.
 *
 * @param claim  the record
 * @param device the disk carrying the claim's identity, if attached
 * @param state  how the disk was found
 */
public record ClaimedDevice(DeviceClaim claim, Optional<DiscoveredDevice> device, State state) {

    public enum State {
        /** At the claimed path, with the claimed identity. */
        ATTACHED,
        /** With the claimed identity, at another path (renamed since). */
        MOVED,
        /** No disk carries the claimed identity. */
        MISSING
    }

    public ClaimedDevice {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(state, "state");
    }
}

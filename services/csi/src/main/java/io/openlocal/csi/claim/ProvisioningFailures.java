package io.openlocal.csi.claim;

/**
 * Where the CSI controller reports provisioning failures a user can fix. Implementations must return at once and
 * never throw: reporting is a side effect of a failing CreateVolume, not part of it.
 */
@FunctionalInterface
public interface ProvisioningFailures {

    /** Reports nothing (standalone mode: there is no claim object to tell). */
    ProvisioningFailures NONE = failure -> { };

    void report(ProvisioningFailure failure);
}

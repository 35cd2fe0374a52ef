package io.openlocal.extender.wire;

import io.openlocal.scheduling.ledger.Allocation;

/**
 * The allocation route's answer, with Open-Local v0.8.0's JSON field names (its {@code pkg.BindingInfo}), which
 * its CSI controller decodes during CreateVolume.
 *
 * @param node                  the node
 * @param disk                  mount point path (Device and MountPoint volumes), else ""
 * @param vgName                VG (LVM) or lvstore (SPDK), else ""
 * @param device                device path (Device volumes; for MountPoint the mount path, as v0.8.0), else ""
 * @param volumeType            LVM, Device, MountPoint or SPDK
 * @param persistentVolumeClaim {@code namespace/name}
 */
public record BindingInfo(String node, String disk, String vgName, String device, String volumeType,
                          String persistentVolumeClaim) {

    public static BindingInfo of(Allocation a) {
        boolean shared = a.kind().shared();
        return new BindingInfo(a.nodeName(), shared ? "" : a.poolName(), shared ? a.poolName() : "",
                shared ? "" : a.poolName(), a.kind().wireName(), a.claimKey());
    }
}

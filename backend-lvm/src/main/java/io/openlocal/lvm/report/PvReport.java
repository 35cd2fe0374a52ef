package io.openlocal.lvm.report;

import java.util.Objects;

/**
 * A physical volume as lvm2 reports it.
 *
 * @param device    the device path lvm uses for it
 * @param uuid      the PV uuid
 * @param vgName    its VG, or empty for an orphan PV (labelled but in no VG)
 * @param sizeBytes its usable size
 * @param freeBytes unallocated bytes on it
 */
public record PvReport(String device, String uuid, String vgName, long sizeBytes, long freeBytes) {

    public PvReport {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(vgName, "vgName");
    }

    public boolean orphan() {
        return vgName.isEmpty();
    }
}

package io.openlocal.lvm.pool;

import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.lvm.capacity.PoolCapacity;
import io.openlocal.lvm.report.LvKind;
import io.openlocal.lvm.report.LvReport;
import io.openlocal.lvm.report.PvReport;
import io.openlocal.lvm.report.VgReport;
import io.openlocal.lvm.volume.Ownership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a reported VG into the SPI's pool description. */
public final class PoolViews {

    private final Ownership ownership;

    public PoolViews(Ownership ownership) {
        this.ownership = ownership;
    }

    public PoolInfo pool(VgReport vg) {
        List<String> devices = vg.pvs().stream().map(PvReport::device).toList();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("uuid", vg.uuid());
        attributes.put("extentSizeBytes", Long.toString(vg.extentSizeBytes()));
        attributes.put("pvCount", Integer.toString(vg.pvCount()));
        attributes.put("lvCount", Integer.toString(vg.visibleLvs().size()));
        attributes.put("foreignBytes", Long.toString(PoolCapacity.foreignBytes(vg, ownership)));
        if (vg.missingPvCount() > 0) {
            attributes.put("missingPvCount", Integer.toString(vg.missingPvCount()));
        }
        String thinPools = String.join(",", vg.visibleLvs().stream()
                .filter(lv -> lv.kind() == LvKind.THIN_POOL).map(LvReport::name).toList());
        if (!thinPools.isEmpty()) {
            attributes.put("thinPools", thinPools);
        }
        return new PoolInfo(vg.name(), PoolType.LVM, PoolCapacity.of(vg, ownership), devices, mediaType(devices),
                vg.readOnly(), false, attributes);
    }

    /** SSD when every PV is non-rotational, HDD when every PV rotates, otherwise unknown (from sysfs). */
    static MediaType mediaType(List<String> devices) {
        Boolean allRotational = null;
        for (String device : devices) {
            Boolean rotational = rotational(device);
            if (rotational == null) {
                return MediaType.UNKNOWN;
            }
            if (allRotational == null) {
                allRotational = rotational;
            } else if (!allRotational.equals(rotational)) {
                return MediaType.UNKNOWN;
            }
        }
        return allRotational == null ? MediaType.UNKNOWN : MediaType.fromRotational(allRotational);
    }

    private static Boolean rotational(String device) {
        try {
            String kernelName = Path.of(device).toRealPath().getFileName().toString();
            Path flag = Path.of("/sys/class/block", kernelName, "queue", "rotational");
            if (!Files.exists(flag)) {
                // A partition has the flag on its parent disk.
                flag = Path.of("/sys/class/block", kernelName).toRealPath().getParent().resolve("queue/rotational");
            }
            return Files.exists(flag) ? Files.readString(flag).strip().equals("1") : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

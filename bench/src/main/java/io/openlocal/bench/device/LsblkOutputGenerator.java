package io.openlocal.bench.device;

import java.util.Locale;

/**
 * Writes {@code lsblk --json --bytes} output as util-linux 2.38 prints it for a storage node: {@code disks}
 * whole disks, every fourth with a GPT and two partitions (one an LVM PV under a mounted LV), the rest blank,
 * with the columns the Device backend asks for.
 */
public final class LsblkOutputGenerator {

    private LsblkOutputGenerator() {
    }

    public static String generate(int disks) {
        StringBuilder out = new StringBuilder(disks * 700);
        out.append("{\n   \"blockdevices\": [\n");
        for (int i = 0; i < disks; i++) {
            String name = diskName(i);
            boolean partitioned = i % 4 == 0;
            out.append(i == 0 ? "      " : ",");
            device(out, name, name, "/dev/" + name, "8:" + (i * 16), "disk", 4_000_787_030_016L + i * 4096L,
                    i % 3 != 0, null, partitioned ? "gpt" : null, null,
                    String.format(Locale.ROOT, "0x5000c500%08x", i), "ZA" + (100000 + i));
            if (partitioned) {
                out.append(",\n         \"children\": [\n");
                device(out, name + "1", name + "1", "/dev/" + name + "1", "8:" + (i * 16 + 1), "part", 536_870_912L,
                        false, "vfat", "gpt", "/boot/efi" + i, null, null);
                out.append("},");
                device(out, name + "2", name + "2", "/dev/" + name + "2", "8:" + (i * 16 + 2), "part",
                        4_000_250_159_104L, false, "LVM2_member", "gpt", null, null, null);
                out.append(",\n            \"children\": [\n");
                device(out, "vg" + i + "-data", "dm-" + i, "/dev/mapper/vg" + i + "-data", "254:" + i, "lvm",
                        1_000_000_000_000L, false, "xfs", null, "/data/" + i, null, null);
                out.append("}\n            ]}\n         ]");
            }
            out.append("}\n");
        }
        out.append("   ]\n}\n");
        return out.toString();
    }

    private static void device(StringBuilder out, String name, String kname, String path, String majMin, String type,
                               long size, boolean rota, String fsType, String ptType, String mountpoint, String wwn,
                               String serial) {
        out.append("{\n         \"name\": \"").append(name).append("\",\n")
                .append("         \"kname\": \"").append(kname).append("\",\n")
                .append("         \"path\": \"").append(path).append("\",\n")
                .append("         \"maj:min\": \"").append(majMin).append("\",\n")
                .append("         \"type\": \"").append(type).append("\",\n")
                .append("         \"size\": ").append(size).append(",\n")
                .append("         \"rota\": ").append(rota).append(",\n")
                .append("         \"ro\": false,\n")
                .append("         \"fstype\": ").append(quoted(fsType)).append(",\n")
                .append("         \"pttype\": ").append(quoted(ptType)).append(",\n")
                .append("         \"mountpoints\": [\n             ").append(quoted(mountpoint)).append("\n         ],\n")
                .append("         \"wwn\": ").append(quoted(wwn)).append(",\n")
                .append("         \"serial\": ").append(quoted(serial));
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    /** sda, sdb, ..., sdz, sdaa, sdab, ... as the kernel names SCSI disks. */
    static String diskName(int index) {
        StringBuilder suffix = new StringBuilder();
        int n = index;
        do {
            suffix.insert(0, (char) ('a' + n % 26));
            n = n / 26 - 1;
        } while (n >= 0);
        return "sd" + suffix;
    }
}

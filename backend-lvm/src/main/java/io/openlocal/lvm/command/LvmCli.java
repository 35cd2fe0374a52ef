package io.openlocal.lvm.command;

import io.openlocal.backend.command.Command;
import io.openlocal.lvm.report.ReportFields;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the lvm2 command lines this backend runs: argument arrays only, every size in bytes ({@code <n>b}),
 * every LV addressed as {@code VG/LV}. All commands go through the one {@code lvm} binary so they are easy to
 * count and trace.
 *
 * <p>On a node without device-mapper every command carries {@code --driverloaded n} (lvm2 then does metadata
 * work only and does not try to talk to the kernel), and new LVs are created inactive ({@code --activate n})
 * without zeroing or signature wiping, which would need the LV's block device.
 */
public final class LvmCli {

    public static final String PROGRAM = "lvm";

    private final boolean deviceMapper;
    private final Duration timeout;

    public LvmCli(boolean deviceMapper, Duration timeout) {
        this.deviceMapper = deviceMapper;
        this.timeout = timeout;
    }

    public boolean deviceMapper() {
        return deviceMapper;
    }

    /** One report of every VG, PV, LV and segment (see {@link ReportFields}). */
    public Command fullReport() {
        return command("fullreport", ReportFields.fullReportArguments());
    }

    public Command version() {
        return command("version", List.of());
    }

    /**
     * Labels devices as PVs. Without {@code force} no prompt is answered, so lvm2 refuses by itself to write over
     * a signature our own probe missed.
     */
    public Command pvcreate(List<String> devices, boolean force) {
        List<String> args = new ArrayList<>();
        if (force) {
            args.addAll(List.of("--force", "--yes"));
        }
        args.addAll(devices);
        return command("pvcreate", args);
    }

    /** Removes PV labels from devices that are in no VG (undoing our own pvcreate after a failed vgcreate). */
    public Command pvremove(List<String> devices) {
        return command("pvremove", devices);
    }

    /** Creates a VG; {@code extentSizeBytes} 0 keeps lvm2's default (4 MiB). */
    public Command vgcreate(String vg, long extentSizeBytes, List<String> devices) {
        List<String> args = new ArrayList<>();
        if (extentSizeBytes > 0) {
            args.addAll(List.of("--physicalextentsize", extentSizeBytes + "b"));
        }
        args.add(vg);
        args.addAll(devices);
        return command("vgcreate", args);
    }

    public Command createLinear(String vg, String lv, long sizeBytes, String tag) {
        List<String> args = new ArrayList<>(newLvOptions());
        args.addAll(List.of("--type", "linear", "--size", sizeBytes + "b", "--name", lv, "--addtag", tag, vg));
        return command("lvcreate", args);
    }

    public Command createStriped(String vg, String lv, long sizeBytes, int stripes, long stripeSizeBytes,
                                 String tag) {
        List<String> args = new ArrayList<>(newLvOptions());
        args.addAll(List.of("--type", "striped", "--stripes", Integer.toString(stripes),
                "--stripesize", stripeSizeBytes + "b", "--size", sizeBytes + "b", "--name", lv,
                "--addtag", tag, vg));
        return command("lvcreate", args);
    }

    /** A thin pool with explicit metadata size, so the capacity check before it knows what it will take. */
    public Command createThinPool(String vg, String lv, long dataBytes, long metadataBytes, String tag) {
        requireDeviceMapper("a thin pool");
        return command("lvcreate", List.of("--yes", "--type", "thin-pool", "--size", dataBytes + "b",
                "--poolmetadatasize", metadataBytes + "b", "--name", lv, "--addtag", tag, vg));
    }

    public Command createThin(String vg, String lv, long virtualBytes, String thinPool, String tag) {
        requireDeviceMapper("a thin volume");
        return command("lvcreate", List.of("--yes", "--type", "thin", "--virtualsize", virtualBytes + "b",
                "--thinpool", thinPool, "--name", lv, "--addtag", tag, vg));
    }

    /** A copy-on-write snapshot with {@code cowBytes} reserved for changed blocks. */
    public Command createCowSnapshot(String vg, String origin, String name, long cowBytes, String tag) {
        requireDeviceMapper("a snapshot");
        return command("lvcreate", List.of("--yes", "--snapshot", "--size", cowBytes + "b", "--name", name,
                "--addtag", tag, vg + "/" + origin));
    }

    /** A thin snapshot: no size, its blocks are shared with the origin inside the pool. */
    public Command createThinSnapshot(String vg, String origin, String name, String tag) {
        requireDeviceMapper("a thin snapshot");
        return command("lvcreate", List.of("--yes", "--snapshot", "--name", name, "--addtag", tag,
                vg + "/" + origin));
    }

    public Command extend(String vg, String lv, long sizeBytes) {
        return command("lvextend", List.of("--size", sizeBytes + "b", vg + "/" + lv));
    }

    public Command remove(String vg, String lv) {
        return command("lvremove", List.of("--yes", vg + "/" + lv));
    }

    private List<String> newLvOptions() {
        if (deviceMapper) {
            // Active at once; --yes lets lvm2 wipe a stale signature left in reused extents of our own new LV.
            return List.of("--yes", "--zero", "y", "--wipesignatures", "y");
        }
        return List.of("--activate", "n", "--zero", "n", "--wipesignatures", "n");
    }

    private void requireDeviceMapper(String what) {
        if (!deviceMapper) {
            // The backend refuses these requests before building a command; reaching here is a bug.
            throw new IllegalStateException(what + " cannot be built without device-mapper");
        }
    }

    private Command command(String subcommand, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(PROGRAM);
        argv.add(subcommand);
        if (!deviceMapper) {
            argv.addAll(List.of("--driverloaded", "n"));
        }
        argv.addAll(args);
        return new Command(argv, timeout, Map.of());
    }
}

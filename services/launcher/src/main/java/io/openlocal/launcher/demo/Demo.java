package io.openlocal.launcher.demo;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.openlocal.csi.client.CsiClient;
import io.openlocal.csi.v1.CapacityRange;
import io.openlocal.csi.v1.ControllerExpandVolumeRequest;
import io.openlocal.csi.v1.CreateSnapshotRequest;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.DeleteSnapshotRequest;
import io.openlocal.csi.v1.DeleteVolumeRequest;
import io.openlocal.csi.v1.GetPluginInfoRequest;
import io.openlocal.csi.v1.GetPluginInfoResponse;
import io.openlocal.csi.v1.NodeExpandVolumeRequest;
import io.openlocal.csi.v1.NodeGetVolumeStatsRequest;
import io.openlocal.csi.v1.NodePublishVolumeRequest;
import io.openlocal.csi.v1.NodeStageVolumeRequest;
import io.openlocal.csi.v1.NodeUnpublishVolumeRequest;
import io.openlocal.csi.v1.NodeUnstageVolumeRequest;
import io.openlocal.csi.v1.ProbeRequest;
import io.openlocal.csi.v1.Volume;
import io.openlocal.csi.v1.VolumeCapability;
import io.openlocal.csi.v1.VolumeUsage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Drives a whole volume lifecycle through a CSI socket, as kubelet and the sidecars would, and prints each step
 * with its time. A Device volume goes through the mount path (mkfs, mount, bind, write, stats, unmount); an LVM
 * volume through the controller path (create, expand, snapshot). Steps this kernel cannot do (activating or
 * snapshotting LVs without device-mapper) are attempted for real and reported as such, never faked.
 */
public final class Demo {

    private static final long MiB = 1L << 20;
    private static final VolumeCapability MOUNT = VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
            .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                    .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)).build();

    private final CsiClient csi;
    private final Path kubeletDir;
    private final PrintStream out;
    private final String run = Long.toHexString(System.nanoTime() & 0xffffffL);
    private int step;
    private int failures;

    public Demo(CsiClient csi, Path kubeletDir, PrintStream out) {
        this.csi = csi;
        this.kubeletDir = kubeletDir;
        this.out = out;
    }

    /** Runs the demo; returns the number of steps that failed unexpectedly. */
    public int run() {
        long start = System.nanoTime();
        step("connect to the CSI socket", () -> {
            // The first call pays for the channel (epoll transport, HTTP/2 handshake); time it on its own.
            csi.channel().getState(true);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (csi.channel().getState(false) != io.grpc.ConnectivityState.READY && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            io.grpc.ConnectivityState state = csi.channel().getState(false);
            if (state != io.grpc.ConnectivityState.READY) {
                throw new IllegalStateException("the CSI socket did not accept a connection within 30 s (" + state
                        + ")");
            }
            return state;
        }, state -> state.toString());
        if (failures > 0) {
            return failures;
        }
        GetPluginInfoResponse info = step("GetPluginInfo", () -> csi.identity().getPluginInfo(
                GetPluginInfoRequest.getDefaultInstance()), r -> r.getName() + " " + r.getVendorVersion());
        if (info == null) {
            return failures;
        }
        step("Probe", () -> csi.identity().probe(ProbeRequest.getDefaultInstance()),
                r -> r.hasReady() && !r.getReady().getValue() ? "not ready" : "ready");

        out.println();
        out.println("Device volume (a whole disk: here a loop device reporting ssd), through the mount path:");
        Path staging = kubeletDir.resolve("plugins/kubernetes.io/csi/local.csi.aliyun.com/demo-" + run + "/globalmount");
        Path target = kubeletDir.resolve("pods/demo-" + run + "/volumes/kubernetes.io~csi/device/mount");
        mkdirs(staging);
        mkdirs(target.getParent());
        Volume device = step("CreateVolume (volumeType=Device, mediaType=ssd, 100Mi)", () -> csi.controller()
                .createVolume(CreateVolumeRequest.newBuilder().setName("demo-" + run + "-device")
                        .putAllParameters(Map.of("volumeType", "Device", "mediaType", "ssd"))
                        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(100 * MiB))
                        .addVolumeCapabilities(MOUNT).build()).getVolume(),
                v -> v.getVolumeId() + ", " + v.getCapacityBytes() / MiB + " MiB");
        boolean staged = false;
        boolean published = false;
        if (device != null) {
            staged = step("NodeStageVolume (mkfs.ext4 on first use, mount at the staging path)", () -> csi.node()
                    .nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(device.getVolumeId())
                            .setStagingTargetPath(staging.toString()).setVolumeCapability(MOUNT)
                            .putAllVolumeContext(device.getVolumeContextMap()).build()), r -> staging.toString()) != null;
        }
        if (staged) {
            published = step("NodePublishVolume (bind mount into the pod's path)", () -> csi.node()
                    .nodePublishVolume(NodePublishVolumeRequest.newBuilder().setVolumeId(device.getVolumeId())
                            .setStagingTargetPath(staging.toString()).setTargetPath(target.toString())
                            .setVolumeCapability(MOUNT).putAllVolumeContext(device.getVolumeContextMap()).build()),
                    r -> target.toString()) != null;
        }
        if (published) {
            step("write 8 MiB through the published path, sync, read back", () -> writeAndVerify(target),
                    digest -> "sha-256 " + digest + " matches");
            step("NodeGetVolumeStats", () -> csi.node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                    .setVolumeId(device.getVolumeId()).setVolumePath(target.toString()).build()), r -> {
                        VolumeUsage bytes = r.getUsageList().stream().filter(u -> u.getUnit() == VolumeUsage.Unit.BYTES)
                                .findFirst().orElse(VolumeUsage.getDefaultInstance());
                        return String.format(Locale.ROOT, "%d MiB used of %d MiB, condition %s", bytes.getUsed() / MiB,
                                bytes.getTotal() / MiB, r.getVolumeCondition().getAbnormal() ? "abnormal: "
                                        + r.getVolumeCondition().getMessage() : "normal");
                    });
            step("NodeExpandVolume (online resize2fs to the device's size)", () -> csi.node().nodeExpandVolume(
                    NodeExpandVolumeRequest.newBuilder().setVolumeId(device.getVolumeId())
                            .setVolumePath(target.toString()).setStagingTargetPath(staging.toString()).build()),
                    r -> r.getCapacityBytes() / MiB + " MiB (a Device volume is the whole disk)");
        }
        if (device != null) {
            expected("CreateSnapshot of the Device volume", () -> csi.controller().createSnapshot(
                    CreateSnapshotRequest.newBuilder().setName("demo-" + run + "-device-snap")
                            .setSourceVolumeId(device.getVolumeId()).build()), "Device volumes have no snapshots");
        }

        out.println();
        out.println("LVM volume (a logical volume in the loop-backed volume group), through the controller path:");
        Volume lvm = step("CreateVolume (volumeType=LVM, 64Mi)", () -> csi.controller().createVolume(
                CreateVolumeRequest.newBuilder().setName("demo-" + run + "-lvm")
                        .putAllParameters(Map.of("volumeType", "LVM"))
                        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(64 * MiB))
                        .addVolumeCapabilities(MOUNT).build()).getVolume(),
                v -> v.getVolumeId() + ", " + v.getCapacityBytes() / MiB + " MiB");
        boolean lvmStaged = false;
        Path lvmStaging = kubeletDir.resolve("plugins/kubernetes.io/csi/local.csi.aliyun.com/demo-" + run
                + "-lvm/globalmount");
        String snapshotId = null;
        if (lvm != null) {
            step("ControllerExpandVolume (lvextend to 128Mi)", () -> csi.controller().controllerExpandVolume(
                    ControllerExpandVolumeRequest.newBuilder().setVolumeId(lvm.getVolumeId())
                            .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(128 * MiB)).build()),
                    r -> r.getCapacityBytes() / MiB + " MiB");
            mkdirs(lvmStaging);
            lvmStaged = kernelDependent("NodeStageVolume of the LVM volume (needs the LV active)", () -> csi.node()
                    .nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(lvm.getVolumeId())
                            .setStagingTargetPath(lvmStaging.toString()).setVolumeCapability(MOUNT)
                            .putAllVolumeContext(lvm.getVolumeContextMap()).build()));
            var snapshot = kernelDependentValue("CreateSnapshot of the LVM volume", () -> csi.controller()
                    .createSnapshot(CreateSnapshotRequest.newBuilder().setName("demo-" + run + "-lvm-snap")
                            .setSourceVolumeId(lvm.getVolumeId()).build()).getSnapshot());
            if (snapshot != null) {
                snapshotId = snapshot.getSnapshotId();
            }
        }

        out.println();
        out.println("Tear-down:");
        if (published) {
            step("NodeUnpublishVolume", () -> csi.node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                    .setVolumeId(device.getVolumeId()).setTargetPath(target.toString()).build()), r -> "unmounted");
        }
        if (staged) {
            step("NodeUnstageVolume", () -> csi.node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                    .setVolumeId(device.getVolumeId()).setStagingTargetPath(staging.toString()).build()),
                    r -> "unmounted");
        }
        if (lvmStaged) {
            step("NodeUnstageVolume (LVM)", () -> csi.node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                    .setVolumeId(lvm.getVolumeId()).setStagingTargetPath(lvmStaging.toString()).build()),
                    r -> "unmounted");
        }
        if (snapshotId != null) {
            String id = snapshotId;
            step("DeleteSnapshot", () -> csi.controller().deleteSnapshot(DeleteSnapshotRequest.newBuilder()
                    .setSnapshotId(id).build()), r -> "deleted");
        }
        if (device != null) {
            step("DeleteVolume (Device: signatures wiped, disk released)", () -> csi.controller().deleteVolume(
                    DeleteVolumeRequest.newBuilder().setVolumeId(device.getVolumeId()).build()), r -> "deleted");
        }
        if (lvm != null) {
            step("DeleteVolume (LVM)", () -> csi.controller().deleteVolume(DeleteVolumeRequest.newBuilder()
                    .setVolumeId(lvm.getVolumeId()).build()), r -> "deleted");
        }
        out.println();
        out.printf(Locale.ROOT, "%s in %d ms%n", failures == 0 ? "Demo finished" : "Demo finished with " + failures
                + " failed step(s)", (System.nanoTime() - start) / 1_000_000);
        return failures;
    }

    private <T> T step(String what, Supplier<T> call, java.util.function.Function<T, String> describe) {
        long start = System.nanoTime();
        try {
            T value = call.get();
            print(what, start, "ok", describe.apply(value));
            return value;
        } catch (StatusRuntimeException e) {
            failures++;
            print(what, start, "FAILED", e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        } catch (RuntimeException e) {
            failures++;
            print(what, start, "FAILED", e.toString());
        }
        return null;
    }

    /** A step the plugin must refuse with FAILED_PRECONDITION (an unsupported operation). */
    private void expected(String what, Runnable call, String why) {
        long start = System.nanoTime();
        try {
            call.run();
            failures++;
            print(what, start, "FAILED", "the plugin accepted it, but " + why);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                print(what, start, "refused", why + " (" + e.getStatus().getDescription() + ")");
            } else {
                failures++;
                print(what, start, "FAILED", e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            }
        }
    }

    /** A step that works where the kernel has device-mapper and is refused with a clear reason where it has not. */
    private boolean kernelDependent(String what, Runnable call) {
        return kernelDependentValue(what, () -> {
            call.run();
            return Boolean.TRUE;
        }) != null;
    }

    private <T> T kernelDependentValue(String what, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T value = call.get();
            print(what, start, "ok", "");
            return value;
        } catch (StatusRuntimeException e) {
            String description = String.valueOf(e.getStatus().getDescription());
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION && description.contains("device-mapper")) {
                print(what, start, "skipped", "needs device-mapper, which this kernel lacks (" + description + ")");
            } else {
                failures++;
                print(what, start, "FAILED", e.getStatus().getCode() + ": " + description);
            }
            return null;
        }
    }

    private void print(String what, long startNanos, String outcome, String detail) {
        step++;
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        out.printf(Locale.ROOT, "  %2d. %-68s %7s %6d ms  %s%n", step, what, outcome, millis, detail);
    }

    private static String writeAndVerify(Path target) {
        byte[] data = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(data);
        Path file = target.resolve("demo.bin");
        try {
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(data));
                channel.force(true);
            }
            byte[] back = Files.readAllBytes(file);
            if (!Arrays.equals(back, data)) {
                throw new IllegalStateException("the data read back differs from what was written");
            }
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(back), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

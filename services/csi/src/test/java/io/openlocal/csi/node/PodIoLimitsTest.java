package io.openlocal.csi.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.testinfra.loop.LoopDevice;
import io.openlocal.testinfra.loop.LoopDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * iops/bps in a pod's cgroup. cgroup v1 runs against this host's real blkio hierarchy (the kernel reads the
 * rules back); cgroup v2 (not mounted with the io controller here) against a directory laid out like it.
 */
class PodIoLimitsTest {

    @RegisterExtension
    static final LoopDevices LOOPS = new LoopDevices();

    @Test
    void cgroupV1RulesAreSetForBothDirectionsReadBackByTheKernelAndRemoved() throws Exception {
        assumeTrue(TestCgroups.available(), "no cgroup v1 blkio throttling on this host (the v2 test covers io.max)");
        LoopDevice loop = LOOPS.create(16 * Sizes.MiB, true);
        String uid = UUID.randomUUID().toString();
        try (TestCgroups cgroups = TestCgroups.create()) {
            Path pod = cgroups.pod("burstable", uid);
            PodIoLimits limits = new PodIoLimits(TestCgroups.MOUNT, cgroups.kubeletRoot());
            Path device = Path.of(loop.path());
            String majorMinor = PodIoLimits.majorMinor(device);
            assertThat(majorMinor).isEqualTo(Files.readString(Path.of("/sys/class/block", device.getFileName()
                    .toString(), "dev")).strip());

            limits.apply(uid, device, new PodIoLimits.Limits(200L, 4L * Sizes.MiB));
            limits.apply(uid, device, new PodIoLimits.Limits(200L, 4L * Sizes.MiB)); // idempotent
            assertThat(limits.current(uid, device)).isEqualTo(new PodIoLimits.Limits(200L, 4L * Sizes.MiB));
            assertThat(Files.readString(pod.resolve("blkio.throttle.write_bps_device")))
                    .isEqualTo(majorMinor + " " + 4 * Sizes.MiB + "\n");
            assertThat(Files.readString(pod.resolve("blkio.throttle.write_iops_device")))
                    .isEqualTo(majorMinor + " 200\n");

            // Only bps: the iops rule goes.
            limits.apply(uid, device, new PodIoLimits.Limits(null, Sizes.MiB));
            assertThat(limits.current(uid, device)).isEqualTo(new PodIoLimits.Limits(null, Sizes.MiB));

            limits.remove(uid, device);
            assertThat(limits.current(uid, device)).isEqualTo(new PodIoLimits.Limits(null, null));
            assertThat(Files.readString(pod.resolve("blkio.throttle.read_bps_device"))).isEmpty();
        }
    }

    @Test
    void cgroupV2PodOfTheSystemdDriverGetsOneIoMaxLine(@TempDir Path mount) throws Exception {
        Files.writeString(mount.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids\n");
        String uid = UUID.randomUUID().toString();
        Path pod = Files.createDirectories(mount.resolve("kubepods.slice/kubepods-besteffort.slice")
                .resolve("kubepods-besteffort-pod" + uid.replace('-', '_') + ".slice"));
        Files.createFile(pod.resolve("io.max"));
        LoopDevice loop = LOOPS.create(16 * Sizes.MiB, true);
        Path device = Path.of(loop.path());
        String majorMinor = PodIoLimits.majorMinor(device);

        new PodIoLimits(mount, "/").apply(uid, device, new PodIoLimits.Limits(500L, null));
        assertThat(Files.readString(pod.resolve("io.max")))
                .isEqualTo(majorMinor + " rbps=max wbps=max riops=500 wiops=500");
        assertThat(new PodIoLimits(mount, "/").current(uid, device)).isEqualTo(new PodIoLimits.Limits(500L, null));
    }

    @Test
    void aPodWithoutACgroupOrAHostWithoutThrottlingIsAClearError(@TempDir Path mount) {
        LoopDevice loop = LOOPS.create(16 * Sizes.MiB, true);
        Path device = Path.of(loop.path());
        assertThatThrownBy(() -> new PodIoLimits(mount, "/").apply(UUID.randomUUID().toString(), device,
                new PodIoLimits.Limits(1L, null))).isInstanceOf(StorageException.Unsupported.class)
                .hasMessageContaining("no block I/O throttling");
        assumeTrue(TestCgroups.available(), "no cgroup v1 blkio throttling on this host");
        try (TestCgroups cgroups = TestCgroups.create()) {
            assertThatThrownBy(() -> new PodIoLimits(TestCgroups.MOUNT, cgroups.kubeletRoot())
                    .apply(UUID.randomUUID().toString(), device, new PodIoLimits.Limits(1L, null)))
                    .isInstanceOf(StorageException.NotFound.class).hasMessageContaining("kubeletCgroupRoot");
        }
        assertThatThrownBy(() -> PodIoLimits.requirePodUid("../../etc")).isInstanceOf(
                StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> new PodIoLimits(mount, "/../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRegularFileIsNotABlockDevice(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-device"), "x");
        assertThatThrownBy(() -> PodIoLimits.majorMinor(file)).isInstanceOf(StorageException.InvalidArgument.class);
        assertThatThrownBy(() -> PodIoLimits.majorMinor(Path.of("/dev/null"))) // a character device
                .isInstanceOf(StorageException.InvalidArgument.class).hasMessageContaining("not a block device");
        assertThatThrownBy(() -> PodIoLimits.majorMinor(dir.resolve("absent")))
                .isInstanceOf(StorageException.NotFound.class);
    }

    @Test
    void thePodUidComesFromKubeletsPublishPath() {
        Path kubelet = Path.of("/var/lib/kubelet");
        String uid = "0b0e005c-39ec-4719-bbfe-78aadbc3e4ad";
        assertThat(PodIoLimits.podUidOf(kubelet.resolve("pods/" + uid + "/volumes/kubernetes.io~csi/pv-1/mount"),
                kubelet)).contains(uid);
        assertThat(PodIoLimits.podUidOf(kubelet.resolve("plugins/kubernetes.io/csi/x/globalmount"), kubelet))
                .isEmpty();
    }
}

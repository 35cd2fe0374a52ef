package io.openlocal.csi;

import static io.openlocal.testinfra.csi.GrpcCodes.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.csi.client.CsiClient;
import io.openlocal.csi.node.PodIoLimits;
import io.openlocal.csi.node.TestCgroups;
import io.openlocal.csi.nodeapi.LocalNodeStorage;
import io.openlocal.csi.nodeapi.PoolChooser;
import io.openlocal.csi.server.CallMetrics;
import io.openlocal.csi.server.CsiServer;
import io.openlocal.csi.v1.CapacityRange;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.DeleteVolumeRequest;
import io.openlocal.csi.v1.NodePublishVolumeRequest;
import io.openlocal.csi.v1.NodeStageVolumeRequest;
import io.openlocal.csi.v1.NodeUnpublishVolumeRequest;
import io.openlocal.csi.v1.NodeUnstageVolumeRequest;
import io.openlocal.csi.v1.Volume;
import io.openlocal.csi.v1.VolumeCapability;
import io.openlocal.csi.volume.BackendNames;
import io.openlocal.testinfra.loop.LoopDevice;
import io.openlocal.testinfra.loop.LoopDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Open-Local's {@code iops}/{@code bps} StorageClass parameters reach the kernel: publishing a Device volume to a
 * pod puts the throttling rules for its device in the pod's (real, cgroup v1) cgroup, unpublishing takes them out,
 * and a publish that cannot enforce them fails before anything is mounted for the pod.
 */
class IoLimitsPublishTest {

    @RegisterExtension
    static final LoopDevices LOOPS = new LoopDevices();

    private static final VolumeCapability MOUNT = VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.getDefaultInstance())
            .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                    .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)).build();

    @Test
    void limitsFollowThePublishedPodAndAPublishThatCannotEnforceThemMountsNothing() throws Exception {
        assumeTrue(TestCgroups.available(), "no cgroup v1 blkio throttling on this host (PodIoLimitsTest covers v2)");
        CommandRunner runner = ProcessCommandRunner.standard();
        LoopDevice disk = LOOPS.create(64 * Sizes.MiB, true);
        Path work = LOOPS.directory("io-csi-");
        Path kubelet = Files.createDirectories(work.resolve("kubelet"));
        Backend device = BackendRegistry.load().create(PoolType.DEVICE, new BackendContext("io-node", runner,
                work.resolve("state/device"), Map.of("device.include", "^" + disk.name() + "$")));
        LocalNodeStorage storage = new LocalNodeStorage("io-node", Map.of(PoolType.DEVICE, device),
                work.resolve("state"), new PoolChooser(PoolChooser.Strategy.BINPACK), Clock.systemUTC(),
                p -> true, BackendNames.standard());
        CsiSettings settings = new CsiSettings("local.csi.aliyun.com", "test", "io-node", "kubernetes.io/hostname",
                kubelet, 0, 16 * Sizes.MiB);
        String uid = UUID.randomUUID().toString();
        try (TestCgroups cgroups = TestCgroups.create();
             CsiServer server = CsiServer.start(work.resolve("csi.sock"), CsiServices.standalone(settings, storage,
                     runner, new PodIoLimits(TestCgroups.MOUNT, cgroups.kubeletRoot())),
                     new CallMetrics(new SimpleMeterRegistry()));
             CsiClient client = CsiClient.connect(server.socketPath(), 60)) {
            cgroups.pod("besteffort", uid);
            PodIoLimits limits = new PodIoLimits(TestCgroups.MOUNT, cgroups.kubeletRoot());
            Volume volume = client.controller().createVolume(CreateVolumeRequest.newBuilder().setName("io-volume")
                    .putParameters("volumeType", "Device").putParameters("iops", "300").putParameters("bps", "2Mi")
                    .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(16 * Sizes.MiB))
                    .addVolumeCapabilities(MOUNT).build()).getVolume();
            assertThat(volume.getVolumeContextMap()).containsEntry("iops", "300").containsEntry("bps", "2097152");
            Path staging = Files.createDirectories(kubelet.resolve("plugins/staging/io-volume"));
            client.node().nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                    .setStagingTargetPath(staging.toString()).setVolumeCapability(MOUNT).build());
            Path target = Files.createDirectories(kubelet.resolve("pods/" + uid + "/volumes/kubernetes.io~csi/pv"))
                    .resolve("mount");
            NodePublishVolumeRequest.Builder publish = NodePublishVolumeRequest.newBuilder()
                    .setVolumeId(volume.getVolumeId()).setStagingTargetPath(staging.toString())
                    .setTargetPath(target.toString()).setVolumeCapability(MOUNT)
                    .putAllVolumeContext(volume.getVolumeContextMap());

            // Without the pod's uid (podInfoOnMount off) the limits cannot be placed: nothing is mounted.
            String message = assertFailsWith(Status.Code.FAILED_PRECONDITION,
                    () -> client.node().nodePublishVolume(publish.build()));
            assertThat(message).contains("podInfoOnMount");
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(" " + target + " ");
            // A pod that has no cgroup on this node: the same.
            String stranger = UUID.randomUUID().toString();
            assertFailsWith(Status.Code.FAILED_PRECONDITION, () -> client.node().nodePublishVolume(publish.clone()
                    .putVolumeContext("csi.storage.k8s.io/pod.uid", stranger).build()));
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(" " + target + " ");

            publish.putVolumeContext("csi.storage.k8s.io/pod.uid", uid);
            client.node().nodePublishVolume(publish.build());
            client.node().nodePublishVolume(publish.build());
            assertThat(limits.current(uid, Path.of(disk.path())))
                    .isEqualTo(new PodIoLimits.Limits(300L, 2 * Sizes.MiB));

            client.node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                    .setVolumeId(volume.getVolumeId()).setTargetPath(target.toString()).build());
            assertThat(limits.current(uid, Path.of(disk.path()))).isEqualTo(new PodIoLimits.Limits(null, null));
            client.node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                    .setStagingTargetPath(staging.toString()).build());
            client.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                    .build());
        } finally {
            device.close();
        }
    }
}

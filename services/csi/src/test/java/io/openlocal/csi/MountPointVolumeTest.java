package io.openlocal.csi;

import static io.openlocal.testinfra.csi.GrpcCodes.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.Command;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.csi.client.CsiClient;
import io.openlocal.csi.nodeapi.LocalNodeStorage;
import io.openlocal.csi.nodeapi.PoolChooser;
import io.openlocal.csi.server.CallMetrics;
import io.openlocal.csi.server.CsiServer;
import io.openlocal.csi.v1.CapacityRange;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.DeleteVolumeRequest;
import io.openlocal.csi.v1.NodeGetVolumeStatsRequest;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MountPoint volumes end to end: an ext4 filesystem on a loop device mounted under the mount-point root is the
 * pool; the volume takes it whole, is staged by a bind mount of the mount point and published from there; a
 * mount that vanishes is reported as an abnormal volume condition.
 */
class MountPointVolumeTest {


    @RegisterExtension
    static final LoopDevices LOOPS = new LoopDevices();

    private static final VolumeCapability MOUNT = VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.getDefaultInstance())
            .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                    .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)).build();

    @Test
    void mountPointVolumeIsStagedPublishedWrittenAndReleased() throws Exception {
        CommandRunner runner = ProcessCommandRunner.standard();
        LoopDevice loop = LOOPS.create(64 * Sizes.MiB, true);
        runner.run(Command.of("mkfs.ext4", "-q", loop.path())).orThrow();
        Path root = LOOPS.directory("mp-root-");
        Path mountPoint = Files.createDirectories(root.resolve("disk1"));
        runner.run(Command.of("mount", "-t", "ext4", loop.path(), mountPoint.toString())).orThrow();
        Path work = LOOPS.directory("mp-csi-");
        Path kubelet = Files.createDirectories(work.resolve("kubelet"));

        Backend backend = BackendRegistry.load().create(PoolType.MOUNT_POINT, new BackendContext("mp-node", runner,
                work.resolve("state/mp"), Map.of("mountpoint.root", root.toString())));
        LocalNodeStorage storage = new LocalNodeStorage("mp-node", Map.of(PoolType.MOUNT_POINT, backend),
                work.resolve("state"), new PoolChooser(PoolChooser.Strategy.BINPACK), Clock.systemUTC(),
                p -> p.name().startsWith(root.toString()), BackendNames.standard());
        CsiSettings settings = new CsiSettings("local.csi.aliyun.com", "test", "mp-node", "kubernetes.io/hostname",
                kubelet, 0, 16 * Sizes.MiB);
        try (CsiServer server = CsiServer.start(work.resolve("csi.sock"), CsiServices.standalone(settings, storage,
                runner), new CallMetrics(new SimpleMeterRegistry()));
             CsiClient client = CsiClient.connect(server.socketPath(), 60)) {
            CreateVolumeRequest create = CreateVolumeRequest.newBuilder().setName("mp-volume")
                    .putParameters("volumeType", "MountPoint")
                    .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(16 * Sizes.MiB))
                    .addVolumeCapabilities(MOUNT).build();
            assertFailsWith(Status.Code.INVALID_ARGUMENT, () -> client.controller().createVolume(create.toBuilder()
                    .clearVolumeCapabilities().addVolumeCapabilities(MOUNT.toBuilder().setBlock(
                            VolumeCapability.BlockVolume.getDefaultInstance())).build()));
            Volume volume = client.controller().createVolume(create).getVolume();
            assertThat(volume.getVolumeContextMap()).containsEntry("MountPoint", mountPoint.toString());
            assertThat(client.controller().createVolume(create).getVolume()).isEqualTo(volume);

            Path staging = Files.createDirectories(kubelet.resolve("staging/mp"));
            Path target = Files.createDirectories(kubelet.resolve("pods/p1")).resolve("mount");
            client.node().nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                    .setStagingTargetPath(staging.toString()).setVolumeCapability(MOUNT).build());
            client.node().nodePublishVolume(NodePublishVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                    .setStagingTargetPath(staging.toString()).setTargetPath(target.toString())
                    .setVolumeCapability(MOUNT).build());
            Files.writeString(target.resolve("data.txt"), "on the mount point");
            assertThat(mountPoint.resolve("data.txt")).hasContent("on the mount point");
            var stats = client.node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                    .setVolumeId(volume.getVolumeId()).setVolumePath(target.toString()).build());
            assertThat(stats.getVolumeCondition().getAbnormal()).isFalse();
            assertThat(stats.getUsage(0).getTotal()).isPositive();
            // The mount disappears behind the plugin's back: the condition says so.
            runner.run(Command.of("umount", target.toString())).orThrow();
            var gone = client.node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                    .setVolumeId(volume.getVolumeId()).setVolumePath(target.toString()).build());
            assertThat(gone.getVolumeCondition().getAbnormal()).isTrue();
            assertThat(gone.getVolumeCondition().getMessage()).contains("not mounted");

            client.node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                    .setVolumeId(volume.getVolumeId()).setTargetPath(target.toString()).build());
            client.node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                    .setVolumeId(volume.getVolumeId()).setStagingTargetPath(staging.toString()).build());
            client.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                    .build());
            // Released: the mount point can be given out again.
            Volume again = client.controller().createVolume(create.toBuilder().setName("mp-volume-2").build())
                    .getVolume();
            assertThat(again.getVolumeContextMap()).containsEntry("MountPoint", mountPoint.toString());
            client.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(again.getVolumeId())
                    .build());
        } finally {
            backend.close();
        }
    }
}

package io.openlocal.csi;

import static io.openlocal.testinfra.csi.GrpcCodes.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.openlocal.backend.command.CommandRunner;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.csi.v1.CapacityRange;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.DeleteVolumeRequest;
import io.openlocal.csi.v1.NodeStageVolumeRequest;
import io.openlocal.csi.v1.NodeUnstageVolumeRequest;
import io.openlocal.csi.v1.Volume;
import io.openlocal.csi.v1.VolumeCapability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second operation on a volume that is being worked on is refused with ABORTED; operations on other volumes go
 * on meanwhile. The first volume's mkfs is held at a gate (a wrapper around the real command runner that waits
 * before running mkfs on that device), so "in progress" is certain rather than a matter of timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrencyTest {

    @RegisterExtension
    static final ClassScopedLoops LOOPS = new ClassScopedLoops();

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile String gatedDevice = "none";
    private PluginFixture plugin;

    private static final VolumeCapability MOUNT = VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.getDefaultInstance())
            .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                    .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)).build();

    @BeforeAll
    void start() {
        plugin = new PluginFixture(LOOPS, 2, 64 * Sizes.MiB, 128 * Sizes.MiB, this::gate);
    }

    @AfterAll
    void stop() {
        release.countDown();
        plugin.close();
    }

    private CommandRunner gate(CommandRunner real) {
        return command -> {
            if (command.program().startsWith("mkfs") && command.argv().contains(gatedDevice)) {
                entered.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return real.run(command);
        };
    }

    private Volume create(String name) {
        return plugin.client.controller().createVolume(CreateVolumeRequest.newBuilder().setName(name)
                .putParameters("volumeType", "Device").setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(32 * Sizes.MiB))
                .addVolumeCapabilities(MOUNT).build()).getVolume();
    }

    private NodeStageVolumeRequest stage(Volume volume, Path staging) {
        return NodeStageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).setVolumeCapability(MOUNT).build();
    }

    @Test
    void secondOperationOnABusyVolumeIsAbortedWhileOtherVolumesProceed() throws Exception {
        Volume busy = create("busy");
        Volume other = create("other");
        gatedDevice = busy.getVolumeContextMap().get("Device");
        Path stagingBusy = Files.createDirectories(plugin.kubeletDir.resolve("staging/busy"));
        Path stagingOther = Files.createDirectories(plugin.kubeletDir.resolve("staging/other"));

        CompletableFuture<Void> first = CompletableFuture.runAsync(
                () -> plugin.client.node().nodeStageVolume(stage(busy, stagingBusy)));
        assertThat(entered.await(60, TimeUnit.SECONDS)).as("first stage reached mkfs").isTrue();

        assertFailsWith(Status.Code.ABORTED, () -> plugin.client.node().nodeStageVolume(stage(busy, stagingBusy)));
        assertFailsWith(Status.Code.ABORTED, () -> plugin.client.controller().deleteVolume(
                DeleteVolumeRequest.newBuilder().setVolumeId(busy.getVolumeId()).build()));
        // Another volume is not held up by the busy one.
        plugin.client.node().nodeStageVolume(stage(other, stagingOther));
        assertThat(first).isNotDone();

        release.countDown();
        first.get(60, TimeUnit.SECONDS);
        // Now free again: a repeat of the same stage is an idempotent success.
        plugin.client.node().nodeStageVolume(stage(busy, stagingBusy));

        for (var entry : new Object[][] {{busy, stagingBusy}, {other, stagingOther}}) {
            Volume volume = (Volume) entry[0];
            plugin.client.node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                    .setVolumeId(volume.getVolumeId()).setStagingTargetPath(entry[1].toString()).build());
            plugin.client.controller().deleteVolume(DeleteVolumeRequest.newBuilder()
                    .setVolumeId(volume.getVolumeId()).build());
        }
    }
}

package io.openlocal.csi;

import static io.openlocal.testinfra.csi.GrpcCodes.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openlocal.backend.Backend;
import io.openlocal.backend.BackendContext;
import io.openlocal.backend.BackendRegistry;
import io.openlocal.backend.command.ProcessCommandRunner;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.PoolSpec;
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
import io.openlocal.testinfra.spdk.NvmeInitiatorDouble;
import io.openlocal.testinfra.spdk.ShortTempDir;
import io.openlocal.testinfra.spdk.SpdkTargetEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPDK volumes through the CSI socket: CreateVolume makes an lvol in an lvstore of the (emulated) target;
 * NodeStageVolume exports it over NVMe-oF/TCP to this node's host NQN, connects the initiator, formats and mounts
 * the namespace's block device; NodeUnstageVolume unmounts, disconnects and removes the export.
 *
 * <p>This machine has no spdk_tgt and no NVMe/TCP initiator: the target is the transcript-checked emulator and
 * the initiator is {@link NvmeInitiatorDouble}, which admits a connection only where the target would and gives
 * the namespace a device node backed by a loop device (so mkfs and mount are real; the data never reaches the
 * emulated lvol).
 */
class SpdkVolumeTest {

    @RegisterExtension
    static final LoopDevices LOOPS = new LoopDevices();

    private static final String NODE = "spdk-node";
    private static final VolumeCapability.AccessMode WRITER = VolumeCapability.AccessMode.newBuilder()
            .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER).build();
    private static final VolumeCapability MOUNT = VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4")).setAccessMode(WRITER).build();
    private static final VolumeCapability BLOCK = VolumeCapability.newBuilder()
            .setBlock(VolumeCapability.BlockVolume.getDefaultInstance()).setAccessMode(WRITER).build();

    private ShortTempDir shortDir;
    private SpdkTargetEmulator target;
    private NvmeInitiatorDouble initiator;
    private Backend spdk;
    private CsiServer server;
    private CsiClient client;
    private Path kubelet;
    private Path devDir;
    private static final String DEV_PREFIX = "open-local-test-";

    @BeforeEach
    void setUp() throws Exception {
        shortDir = ShortTempDir.create();
        target = SpdkTargetEmulator.builder(shortDir.resolve("spdk.sock")).vhostSocketDir(shortDir.path()).build();
        target.start();
        LoopDevice namespaceDevice = LOOPS.create(64 * Sizes.MiB, true);
        Path work = LOOPS.directory("spdk-csi-");
        Path sysfs = Files.createDirectories(work.resolve("sys"));
        // The filesystem tools take device paths under /dev only: the namespaces' nodes go in a directory of /dev
        // of this test's own (devtmpfs; gone at reboot, swept here after a crash).
        sweepDevDirectories();
        devDir = Files.createDirectories(Path.of("/dev/" + DEV_PREFIX + ProcessHandle.current().pid() + "-"
                + System.nanoTime()));
        Path dev = devDir;
        kubelet = Files.createDirectories(work.resolve("kubelet"));
        initiator = new NvmeInitiatorDouble(ProcessCommandRunner.standard(), target, sysfs, dev,
                ns -> namespaceDevice.path());
        spdk = BackendRegistry.load().create(PoolType.SPDK, new BackendContext(NODE, initiator,
                work.resolve("state/backends/spdk"), Map.of("rpcSocket", target.socketPath().toString(),
                "callTimeoutMillis", "2000", "connectTimeoutMillis", "300", "attachTimeoutMillis", "1000",
                "sysfsRoot", sysfs.toString(), "devRoot", dev.toString(),
                "vhostSocketDir", shortDir.path().toString())));
        spdk.initPool(new PoolSpec("pool1", PoolType.SPDK,
                List.of("aio:" + shortDir.sparseFile("pool1.img", 128 * Sizes.MiB)), false, Map.of()));
        LocalNodeStorage storage = new LocalNodeStorage(NODE, Map.of(PoolType.SPDK, spdk), work.resolve("state"),
                new PoolChooser(PoolChooser.Strategy.BINPACK), Clock.systemUTC(), p -> true, BackendNames.standard());
        CsiSettings settings = new CsiSettings("local.csi.aliyun.com", "test", NODE, "kubernetes.io/hostname",
                kubelet, 0, 16 * Sizes.MiB);
        server = CsiServer.start(work.resolve("csi.sock"), CsiServices.standalone(settings, storage, initiator),
                new CallMetrics(new SimpleMeterRegistry()));
        client = CsiClient.connect(server.socketPath(), 60);
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (spdk != null) {
            spdk.close();
        }
        if (target != null) {
            target.close();
        }
        if (shortDir != null) {
            shortDir.close();
        }
        deleteTree(devDir);
    }

    /** Removes /dev directories left by test JVMs that are gone. */
    private static void sweepDevDirectories() throws java.io.IOException {
        try (var entries = Files.list(Path.of("/dev"))) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith(DEV_PREFIX)).toList()) {
                String rest = dir.getFileName().toString().substring(DEV_PREFIX.length());
                long pid = Long.parseLong(rest.substring(0, rest.indexOf('-')));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Volume create(String name, VolumeCapability capability) {
        return client.controller().createVolume(CreateVolumeRequest.newBuilder().setName(name)
                .putParameters("volumeType", "SPDK")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(32 * Sizes.MiB))
                .addVolumeCapabilities(capability).build()).getVolume();
    }

    /** The NQN the node connected to, from the last nvme connect. */
    private String connectedNqn() {
        List<String> connect = initiator.nvmeCalls().stream().filter(c -> c.get(1).equals("connect"))
                .reduce((a, b) -> b).orElseThrow();
        return connect.stream().filter(a -> a.startsWith("--nqn=")).findFirst().orElseThrow().substring(6);
    }

    @Test
    void filesystemVolumeIsExportedAttachedFormattedMountedAndReleased() throws Exception {
        Volume volume = create("spdk-fs", MOUNT);
        assertThat(volume.getVolumeContextMap()).containsEntry("volumeType", "SPDK");
        assertThat(volume.getCapacityBytes()).isEqualTo(32 * Sizes.MiB);
        Path staging = Files.createDirectories(kubelet.resolve("plugins/staging/spdk-fs"));
        Path target = Files.createDirectories(kubelet.resolve("pods/p1/volumes")).resolve("spdk-fs");
        NodeStageVolumeRequest stage = NodeStageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).setVolumeCapability(MOUNT).build();
        client.node().nodeStageVolume(stage);
        client.node().nodeStageVolume(stage); // a retry finds it attached and mounted

        String nqn = connectedNqn();
        assertThat(initiator.connected()).containsExactly(nqn);
        assertThat(initiator.nvmeCalls().stream().filter(c -> c.get(1).equals("connect"))).hasSize(1);
        // The initiator module was loaded before the first connect.
        List<List<String>> calls = initiator.nvmeCalls();
        assertThat(calls.indexOf(List.of("modprobe", "nvme-tcp"))).isNotNegative()
                .isLessThan(calls.indexOf(calls.stream().filter(c -> c.get(1).equals("connect")).findFirst()
                        .orElseThrow()));
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(" " + staging + " ");

        client.node().nodePublishVolume(NodePublishVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).setTargetPath(target.toString())
                .setVolumeCapability(MOUNT).build());
        Files.writeString(target.resolve("data.txt"), "through NVMe-oF");
        assertThat(staging.resolve("data.txt")).hasContent("through NVMe-oF");
        var stats = client.node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(volume.getVolumeId()).setVolumePath(target.toString()).build());
        assertThat(stats.getVolumeCondition().getAbnormal()).isFalse();
        assertThat(stats.getUsage(0).getTotal()).isPositive();

        // The link to the target drops: the volume condition says the volume is no longer attached.
        initiator.loseConnection(nqn);
        var lost = client.node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(volume.getVolumeId()).setVolumePath(target.toString()).build());
        assertThat(lost.getVolumeCondition().getAbnormal()).isTrue();
        assertThat(lost.getVolumeCondition().getMessage()).contains("not attached");

        client.node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId(volume.getVolumeId()).setTargetPath(target.toString()).build());
        NodeUnstageVolumeRequest unstage = NodeUnstageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).build();
        client.node().nodeUnstageVolume(unstage);
        client.node().nodeUnstageVolume(unstage);
        assertThat(initiator.connected()).isEmpty();
        // The export is gone: the target would now refuse this host.
        assertThat(this.target.connectNvmfTcp(nqn, "127.0.0.1", "4420", hostNqn())).isEmpty();

        client.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId()).build());
        assertThat(spdk.volumes("pool1")).isEmpty();
    }

    @Test
    void rawBlockVolumeIsAttachedAtStagePublishedAsTheNamespaceDeviceAndDetachedAtUnstage() throws Exception {
        Volume volume = create("spdk-block", BLOCK);
        Path staging = Files.createDirectories(kubelet.resolve("plugins/staging/spdk-block"));
        Path target = Files.createDirectories(kubelet.resolve("pods/p2/volumeDevices")).resolve("spdk-block");
        client.node().nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).setVolumeCapability(BLOCK).build());
        String nqn = connectedNqn();
        assertThat(initiator.connected()).containsExactly(nqn);
        // The node asked for the export with its own host NQN, and the target admits exactly that host.
        assertThat(this.target.connectNvmfTcp(nqn, "127.0.0.1", "4420", hostNqn())).isPresent();
        assertThat(this.target.connectNvmfTcp(nqn, "127.0.0.1", "4420",
                "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000001")).isEmpty();

        client.node().nodePublishVolume(NodePublishVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).setTargetPath(target.toString())
                .setVolumeCapability(BLOCK).build());
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(" " + target + " ");

        client.node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId(volume.getVolumeId()).setTargetPath(target.toString()).build());
        client.node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).build());
        assertThat(initiator.connected()).isEmpty();
        client.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId()).build());
    }

    @Test
    void stagingWhileTheTargetIsDownFailsUnavailableAndLeavesNothingBehind() throws Exception {
        Volume volume = create("spdk-down", MOUNT);
        Path staging = Files.createDirectories(kubelet.resolve("plugins/staging/spdk-down"));
        target.stop();
        String message = assertFailsWith(Status.Code.UNAVAILABLE, () -> client.node().nodeStageVolume(
                NodeStageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                        .setStagingTargetPath(staging.toString()).setVolumeCapability(MOUNT).build()));
        assertThat(message).contains("SPDK");
        assertThat(initiator.connected()).isEmpty();
        // A dead target does not make the plugin unhealthy: a liveness restart would not revive spdk_tgt.
        assertThat(client.identity().probe(io.openlocal.csi.v1.ProbeRequest.getDefaultInstance()).getReady()
                .getValue()).isTrue();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(" " + staging + " ");
    }

    private static String hostNqn() {
        // The backend's default host NQN for the node (SpdkSettings: derived from the node name).
        return io.openlocal.backend.spdk.export.Nqn.defaultHostNqn(NODE);
    }
}

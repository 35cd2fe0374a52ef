package io.openlocal.testinfra.csi;

import static io.openlocal.testinfra.csi.GrpcCodes.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status.Code;
import io.openlocal.csi.v1.CapacityRange;
import io.openlocal.csi.v1.ControllerExpandVolumeRequest;
import io.openlocal.csi.v1.ControllerGetCapabilitiesRequest;
import io.openlocal.csi.v1.ControllerGetVolumeRequest;
import io.openlocal.csi.v1.ControllerGrpc;
import io.openlocal.csi.v1.ControllerServiceCapability;
import io.openlocal.csi.v1.CreateSnapshotRequest;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.DeleteSnapshotRequest;
import io.openlocal.csi.v1.DeleteVolumeRequest;
import io.openlocal.csi.v1.GetCapacityRequest;
import io.openlocal.csi.v1.GetPluginCapabilitiesRequest;
import io.openlocal.csi.v1.GetPluginInfoRequest;
import io.openlocal.csi.v1.GetPluginInfoResponse;
import io.openlocal.csi.v1.IdentityGrpc;
import io.openlocal.csi.v1.ListSnapshotsRequest;
import io.openlocal.csi.v1.ListVolumesRequest;
import io.openlocal.csi.v1.ListVolumesResponse;
import io.openlocal.csi.v1.NodeExpandVolumeRequest;
import io.openlocal.csi.v1.NodeGetCapabilitiesRequest;
import io.openlocal.csi.v1.NodeGetInfoRequest;
import io.openlocal.csi.v1.NodeGetInfoResponse;
import io.openlocal.csi.v1.NodeGetVolumeStatsRequest;
import io.openlocal.csi.v1.NodeGetVolumeStatsResponse;
import io.openlocal.csi.v1.NodeGrpc;
import io.openlocal.csi.v1.NodePublishVolumeRequest;
import io.openlocal.csi.v1.NodeServiceCapability;
import io.openlocal.csi.v1.NodeStageVolumeRequest;
import io.openlocal.csi.v1.NodeUnpublishVolumeRequest;
import io.openlocal.csi.v1.NodeUnstageVolumeRequest;
import io.openlocal.csi.v1.PluginCapability;
import io.openlocal.csi.v1.ProbeRequest;
import io.openlocal.csi.v1.Topology;
import io.openlocal.csi.v1.TopologyRequirement;
import io.openlocal.csi.v1.ValidateVolumeCapabilitiesRequest;
import io.openlocal.csi.v1.ValidateVolumeCapabilitiesResponse;
import io.openlocal.csi.v1.Volume;
import io.openlocal.csi.v1.VolumeCapability;
import io.openlocal.csi.v1.VolumeCapability.AccessMode.Mode;
import io.openlocal.csi.v1.VolumeContentSource;
import io.openlocal.csi.v1.VolumeUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The CSI specification's MUSTs for the Identity, Controller and Node services, checked over the plugin's real
 * socket. A plugin's test extends this class and supplies {@link #target()}; every test cleans up the volumes it
 * made. Only behaviour the specification requires (and the plugin's advertised capabilities imply) is asserted
 * here; plugin-specific behaviour belongs in the plugin's own tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CsiConformanceSuite {

    private final List<String> volumesMade = new ArrayList<>();
    private final List<String> snapshotsMade = new ArrayList<>();
    private final List<Path> targetsMade = new ArrayList<>();
    private final List<Path> stagingMade = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** The plugin under test, ready to serve. */
    protected abstract CsiTarget target();

    // ---- helpers -------------------------------------------------------------------------------------------

    protected IdentityGrpc.IdentityBlockingStub identity() {
        return IdentityGrpc.newBlockingStub(target().channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    protected ControllerGrpc.ControllerBlockingStub controller() {
        return ControllerGrpc.newBlockingStub(target().channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    protected NodeGrpc.NodeBlockingStub node() {
        return NodeGrpc.newBlockingStub(target().channel()).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    protected String name(String label) {
        return "conf-" + run + "-" + label;
    }

    protected static VolumeCapability mountCapability(Mode mode) {
        return VolumeCapability.newBuilder().setMount(VolumeCapability.MountVolume.getDefaultInstance())
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode)).build();
    }

    protected static VolumeCapability blockCapability(Mode mode) {
        return VolumeCapability.newBuilder().setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode)).build();
    }

    protected static final VolumeCapability WRITER = mountCapability(Mode.SINGLE_NODE_WRITER);

    protected CreateVolumeRequest.Builder createRequest(String name, Map<String, String> parameters, long bytes) {
        return CreateVolumeRequest.newBuilder().setName(name).putAllParameters(parameters)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(bytes))
                .addVolumeCapabilities(WRITER);
    }

    /** Creates a volume and remembers it for clean-up. */
    protected Volume create(CreateVolumeRequest request) {
        Volume volume = controller().createVolume(request).getVolume();
        if (!volumesMade.contains(volume.getVolumeId())) {
            volumesMade.add(volume.getVolumeId());
        }
        return volume;
    }

    protected Volume createMountable(String label) {
        return create(createRequest(name(label), target().mountableParameters(), target().mountableBytes()).build());
    }

    protected Path stagingPath(String label) {
        Path path = target().kubeletDir().resolve("plugins/kubernetes.io/csi/conformance/" + run + "-" + label
                + "/globalmount");
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stagingMade.add(path);
        return path;
    }

    protected Path targetPath(String label) {
        Path path = target().kubeletDir().resolve("pods/" + run + "/volumes/kubernetes.io~csi/" + label + "/mount");
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        targetsMade.add(path);
        return path;
    }

    protected NodeStageVolumeRequest stage(Volume volume, Path staging, VolumeCapability capability) {
        return NodeStageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).setVolumeCapability(capability)
                .putAllVolumeContext(volume.getVolumeContextMap()).build();
    }

    protected NodePublishVolumeRequest publish(Volume volume, Path staging, Path target, VolumeCapability capability,
                                               boolean readOnly) {
        return NodePublishVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).setTargetPath(target.toString())
                .setVolumeCapability(capability).setReadonly(readOnly)
                .putAllVolumeContext(volume.getVolumeContextMap()).build();
    }

    protected static final String UNKNOWN_VOLUME = "no-such-volume-id";

    @AfterEach
    void cleanUpVolumes() {
        for (Path target : targetsMade) {
            try {
                node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                        .setVolumeId(volumesMade.isEmpty() ? UNKNOWN_VOLUME : volumesMade.getFirst())
                        .setTargetPath(target.toString()).build());
            } catch (RuntimeException ignored) {
                // Best effort; the volume delete below reports what is still mounted.
            }
        }
        for (String volume : volumesMade) {
            for (Path staging : stagingMade) {
                try {
                    node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder().setVolumeId(volume)
                            .setStagingTargetPath(staging.toString()).build());
                } catch (RuntimeException ignored) {
                    // As above.
                }
            }
        }
        for (String snapshot : snapshotsMade) {
            controller().deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(snapshot).build());
        }
        for (String volume : volumesMade) {
            controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(volume).build());
        }
        volumesMade.clear();
        snapshotsMade.clear();
        targetsMade.clear();
        stagingMade.clear();
    }

    // ---- Identity ------------------------------------------------------------------------------------------

    @Test
    void getPluginInfoReturnsADomainStyleNameAndAVersion() {
        GetPluginInfoResponse info = identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
        assertThat(info.getName()).matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?");
        assertThat(info.getVendorVersion()).isNotEmpty();
    }

    @Test
    void getPluginCapabilitiesAnnouncesTheControllerService() {
        List<PluginCapability> capabilities = identity().getPluginCapabilities(
                GetPluginCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList();
        assertThat(capabilities).extracting(c -> c.getService().getType())
                .contains(PluginCapability.Service.Type.CONTROLLER_SERVICE);
    }

    @Test
    void probeAnswersReady() {
        var probe = identity().probe(ProbeRequest.getDefaultInstance());
        assertThat(!probe.hasReady() || probe.getReady().getValue()).isTrue();
    }

    // ---- Controller: capabilities and CreateVolume ---------------------------------------------------------

    @Test
    void controllerCapabilitiesAreKnownValues() {
        var capabilities = controller().controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList();
        assertThat(capabilities).isNotEmpty();
        assertThat(capabilities).extracting(c -> c.getRpc().getType())
                .doesNotContain(ControllerServiceCapability.RPC.Type.UNKNOWN)
                .contains(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME);
    }

    @Test
    void createVolumeWithoutNameIsInvalidArgument() {
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().createVolume(
                createRequest("", target().mountableParameters(), target().mountableBytes()).build()));
    }

    @Test
    void createVolumeWithoutCapabilitiesIsInvalidArgument() {
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().createVolume(
                createRequest(name("nocaps"), target().mountableParameters(), target().mountableBytes())
                        .clearVolumeCapabilities().build()));
    }

    @Test
    void createVolumeReturnsAnIdAndACapacityWithinTheRange() {
        Volume volume = createMountable("range");
        assertThat(volume.getVolumeId()).isNotEmpty();
        assertThat(volume.getCapacityBytes()).isGreaterThanOrEqualTo(target().mountableBytes());
    }

    @Test
    void createVolumeTwiceWithSameNameReturnsSameVolume() {
        CreateVolumeRequest request = createRequest(name("twice"), target().mountableParameters(),
                target().mountableBytes()).build();
        Volume first = create(request);
        Volume second = create(request);
        assertThat(second.getVolumeId()).isEqualTo(first.getVolumeId());
        assertThat(second.getCapacityBytes()).isEqualTo(first.getCapacityBytes());
        assertThat(second.getVolumeContextMap()).isEqualTo(first.getVolumeContextMap());
    }

    @Test
    void createVolumeWithSameNameAndDifferentCapacityIsAlreadyExists() {
        Volume first = create(createRequest(name("conflict"), target().expandableParameters(),
                target().expandableBytes()).build());
        assertThat(first.getVolumeId()).isNotEmpty();
        assertFailsWith(Code.ALREADY_EXISTS, () -> controller().createVolume(createRequest(name("conflict"),
                target().expandableParameters(), target().expandableBytes() * 2).build()));
    }

    @Test
    void createVolumeWithALimitBelowAnyPossibleSizeIsOutOfRange() {
        assertFailsWith(Code.OUT_OF_RANGE, () -> controller().createVolume(createRequest(name("tiny"),
                target().expandableParameters(), 1).setCapacityRange(CapacityRange.newBuilder()
                .setRequiredBytes(1).setLimitBytes(1)).build()));
    }

    @Test
    void createVolumeFromAMissingSnapshotIsNotFound() {
        assertFailsWith(Code.NOT_FOUND, () -> controller().createVolume(createRequest(name("fromnothing"),
                target().expandableParameters(), target().expandableBytes())
                .setVolumeContentSource(VolumeContentSource.newBuilder().setSnapshot(
                        VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId("no-such-snapshot")))
                .build()));
    }

    @Test
    void createdVolumeReportsTheNodeItIsAccessibleFrom() {
        NodeGetInfoResponse info = node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance());
        Volume volume = create(createRequest(name("topo"), target().mountableParameters(), target().mountableBytes())
                .setAccessibilityRequirements(TopologyRequirement.newBuilder()
                        .addRequisite(info.getAccessibleTopology()).addPreferred(info.getAccessibleTopology()))
                .build());
        assertThat(volume.getAccessibleTopologyList()).contains(info.getAccessibleTopology());
    }

    // ---- Controller: DeleteVolume, Validate, List, Capacity, Get, Expand -------------------------------------

    @Test
    void deleteVolumeWithoutIdIsInvalidArgument() {
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().deleteVolume(DeleteVolumeRequest.getDefaultInstance()));
    }

    @Test
    void deleteVolumeOfAnUnknownIdSucceeds() {
        controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(UNKNOWN_VOLUME).build());
    }

    @Test
    void deleteVolumeTwiceSucceeds() {
        Volume volume = createMountable("deltwice");
        DeleteVolumeRequest delete = DeleteVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId()).build();
        controller().deleteVolume(delete);
        controller().deleteVolume(delete);
        assertFailsWith(Code.NOT_FOUND, () -> controller().controllerGetVolume(ControllerGetVolumeRequest.newBuilder()
                .setVolumeId(volume.getVolumeId()).build()));
    }

    @Test
    void validateVolumeCapabilitiesNeedsAnIdAndCapabilities() {
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().validateVolumeCapabilities(
                ValidateVolumeCapabilitiesRequest.newBuilder().addVolumeCapabilities(WRITER).build()));
        Volume volume = createMountable("validate-fields");
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().validateVolumeCapabilities(
                ValidateVolumeCapabilitiesRequest.newBuilder().setVolumeId(volume.getVolumeId()).build()));
    }

    @Test
    void validateVolumeCapabilitiesOfAnUnknownVolumeIsNotFound() {
        assertFailsWith(Code.NOT_FOUND, () -> controller().validateVolumeCapabilities(
                ValidateVolumeCapabilitiesRequest.newBuilder().setVolumeId(UNKNOWN_VOLUME)
                        .addVolumeCapabilities(WRITER).build()));
    }

    @Test
    void validateVolumeCapabilitiesConfirmsWhatTheVolumeWasMadeFor() {
        Volume volume = createMountable("validate");
        ValidateVolumeCapabilitiesResponse answer = controller().validateVolumeCapabilities(
                ValidateVolumeCapabilitiesRequest.newBuilder().setVolumeId(volume.getVolumeId())
                        .putAllVolumeContext(volume.getVolumeContextMap()).addVolumeCapabilities(WRITER).build());
        assertThat(answer.hasConfirmed()).as("confirmed (message: %s)", answer.getMessage()).isTrue();
        assertThat(answer.getConfirmed().getVolumeCapabilitiesList()).containsExactly(WRITER);
    }

    @Test
    void listVolumesPagesThroughEveryVolumeExactlyOnce() {
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            made.add(create(createRequest(name("list" + i), target().expandableParameters(),
                    target().expandableBytes()).build()).getVolumeId());
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListVolumesResponse page = controller().listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(1)
                    .setStartingToken(token).build());
            assertThat(page.getEntriesCount()).isLessThanOrEqualTo(1);
            page.getEntriesList().forEach(e -> seen.add(e.getVolume().getVolumeId()));
            token = page.getNextToken();
            pages++;
        } while (!token.isEmpty() && pages < 1000);
        assertThat(seen).doesNotHaveDuplicates().containsAll(made);
    }

    @Test
    void listVolumesWithAnInvalidTokenIsAborted() {
        assertFailsWith(Code.ABORTED, () -> controller().listVolumes(ListVolumesRequest.newBuilder()
                .setStartingToken("not-a-token-we-issued").build()));
    }

    @Test
    void getCapacityIsNeverNegative() {
        long available = controller().getCapacity(GetCapacityRequest.newBuilder()
                .putAllParameters(target().mountableParameters()).addVolumeCapabilities(WRITER).build())
                .getAvailableCapacity();
        assertThat(available).isNotNegative();
    }

    @Test
    void getCapacityShrinksWhenAVolumeTakesSpace() {
        GetCapacityRequest request = GetCapacityRequest.newBuilder().putAllParameters(target().expandableParameters())
                .build();
        long before = controller().getCapacity(request).getAvailableCapacity();
        create(createRequest(name("capacity"), target().expandableParameters(), target().expandableBytes()).build());
        long after = controller().getCapacity(request).getAvailableCapacity();
        assertThat(after).isLessThanOrEqualTo(before - target().expandableBytes());
    }

    @Test
    void controllerGetVolumeOfAnUnknownVolumeIsNotFound() {
        assertFailsWith(Code.NOT_FOUND, () -> controller().controllerGetVolume(ControllerGetVolumeRequest.newBuilder()
                .setVolumeId(UNKNOWN_VOLUME).build()));
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().controllerGetVolume(
                ControllerGetVolumeRequest.getDefaultInstance()));
    }

    @Test
    void controllerGetVolumeReportsTheVolumeAndItsCondition() {
        Volume volume = createMountable("get");
        var answer = controller().controllerGetVolume(ControllerGetVolumeRequest.newBuilder()
                .setVolumeId(volume.getVolumeId()).build());
        assertThat(answer.getVolume().getVolumeId()).isEqualTo(volume.getVolumeId());
        assertThat(answer.getVolume().getCapacityBytes()).isEqualTo(volume.getCapacityBytes());
        assertThat(answer.getStatus().hasVolumeCondition()).isTrue();
    }

    @Test
    void controllerExpandVolumeNeedsIdAndRangeAndAnExistingVolume() {
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().controllerExpandVolume(
                ControllerExpandVolumeRequest.newBuilder().setCapacityRange(CapacityRange.newBuilder()
                        .setRequiredBytes(1 << 30)).build()));
        Volume volume = create(createRequest(name("expand-fields"), target().expandableParameters(),
                target().expandableBytes()).build());
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().controllerExpandVolume(
                ControllerExpandVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId()).build()));
        assertFailsWith(Code.NOT_FOUND, () -> controller().controllerExpandVolume(
                ControllerExpandVolumeRequest.newBuilder().setVolumeId(UNKNOWN_VOLUME)
                        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(1 << 30)).build()));
    }

    @Test
    void controllerExpandVolumeGrowsAndIsIdempotent() {
        Volume volume = create(createRequest(name("expand"), target().expandableParameters(),
                target().expandableBytes()).build());
        long wanted = volume.getCapacityBytes() * 2;
        ControllerExpandVolumeRequest expand = ControllerExpandVolumeRequest.newBuilder()
                .setVolumeId(volume.getVolumeId())
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(wanted)).build();
        long first = controller().controllerExpandVolume(expand).getCapacityBytes();
        long second = controller().controllerExpandVolume(expand).getCapacityBytes();
        assertThat(first).isGreaterThanOrEqualTo(wanted);
        assertThat(second).isEqualTo(first);
    }

    // ---- Controller: snapshots -----------------------------------------------------------------------------

    @Test
    void createSnapshotNeedsANameAndASource() {
        Volume volume = createMountable("snapfields");
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().createSnapshot(CreateSnapshotRequest.newBuilder()
                .setSourceVolumeId(volume.getVolumeId()).build()));
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().createSnapshot(CreateSnapshotRequest.newBuilder()
                .setName(name("snap")).build()));
    }

    @Test
    void createSnapshotOfAnUnknownVolumeIsNotFound() {
        assertFailsWith(Code.NOT_FOUND, () -> controller().createSnapshot(CreateSnapshotRequest.newBuilder()
                .setName(name("snap-unknown")).setSourceVolumeId(UNKNOWN_VOLUME).build()));
    }

    @Test
    void deleteSnapshotNeedsAnIdAndSucceedsForUnknownOnes() {
        assertFailsWith(Code.INVALID_ARGUMENT, () -> controller().deleteSnapshot(
                DeleteSnapshotRequest.getDefaultInstance()));
        controller().deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId("no-such-snapshot").build());
    }

    @Test
    void listSnapshotsOfAnUnknownSnapshotIsEmpty() {
        assertThat(controller().listSnapshots(ListSnapshotsRequest.newBuilder().setSnapshotId("no-such-snapshot")
                .build()).getEntriesList()).isEmpty();
        assertFailsWith(Code.ABORTED, () -> controller().listSnapshots(ListSnapshotsRequest.newBuilder()
                .setStartingToken("not-a-token-we-issued").build()));
    }

    // ---- Node -------------------------------------------------------------------------------------------------

    @Test
    void nodeGetInfoReturnsANodeIdAndTopology() {
        NodeGetInfoResponse info = node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance());
        assertThat(info.getNodeId()).isNotEmpty();
        assertThat(info.getAccessibleTopology().getSegmentsMap()).isNotEmpty();
        assertThat(info.getMaxVolumesPerNode()).isNotNegative();
    }

    @Test
    void nodeCapabilitiesAreKnownValues() {
        var capabilities = node().nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList();
        assertThat(capabilities).extracting(c -> c.getRpc().getType())
                .doesNotContain(NodeServiceCapability.RPC.Type.UNKNOWN)
                .contains(NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME);
    }

    @Test
    void nodeStageNeedsIdPathAndCapability() {
        Volume volume = createMountable("stagefields");
        Path staging = stagingPath("stagefields");
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodeStageVolume(stage(volume, staging, WRITER).toBuilder()
                .clearVolumeId().build()));
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodeStageVolume(stage(volume, staging, WRITER).toBuilder()
                .clearStagingTargetPath().build()));
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodeStageVolume(stage(volume, staging, WRITER).toBuilder()
                .clearVolumeCapability().build()));
    }

    @Test
    void nodeStageOfAnUnknownVolumeIsNotFound() {
        Path staging = stagingPath("stage-unknown");
        assertFailsWith(Code.NOT_FOUND, () -> node().nodeStageVolume(NodeStageVolumeRequest.newBuilder()
                .setVolumeId(UNKNOWN_VOLUME).setStagingTargetPath(staging.toString()).setVolumeCapability(WRITER)
                .build()));
    }

    @Test
    void nodePublishNeedsIdTargetAndCapability() {
        Volume volume = createMountable("pubfields");
        Path staging = stagingPath("pubfields");
        Path target = targetPath("pubfields");
        NodePublishVolumeRequest ok = publish(volume, staging, target, WRITER, false);
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodePublishVolume(ok.toBuilder().clearVolumeId().build()));
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodePublishVolume(ok.toBuilder().clearTargetPath().build()));
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodePublishVolume(ok.toBuilder().clearVolumeCapability()
                .build()));
        assertFailsWith(Code.NOT_FOUND, () -> node().nodePublishVolume(ok.toBuilder().setVolumeId(UNKNOWN_VOLUME)
                .build()));
    }

    @Test
    void nodePublishBeforeStageIsFailedPrecondition() {
        Volume volume = createMountable("unstaged");
        assertFailsWith(Code.FAILED_PRECONDITION, () -> node().nodePublishVolume(publish(volume, stagingPath("unstaged"),
                targetPath("unstaged"), WRITER, false)));
    }

    @Test
    void nodeUnpublishAndUnstageNeedIdAndPath() {
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                .setTargetPath(targetPath("x").toString()).build()));
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId(UNKNOWN_VOLUME).build()));
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                .setStagingTargetPath(stagingPath("x").toString()).build()));
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                .setVolumeId(UNKNOWN_VOLUME).build()));
    }

    @Test
    void nodeGetVolumeStatsNeedsIdAndPathAndAKnownVolume() {
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumePath(targetPath("s").toString()).build()));
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(UNKNOWN_VOLUME).build()));
        assertFailsWith(Code.NOT_FOUND, () -> node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(UNKNOWN_VOLUME).setVolumePath(targetPath("s").toString()).build()));
    }

    @Test
    void nodeExpandNeedsIdAndAKnownVolume() {
        assertFailsWith(Code.INVALID_ARGUMENT, () -> node().nodeExpandVolume(NodeExpandVolumeRequest.newBuilder()
                .setVolumePath(targetPath("e").toString()).build()));
        assertFailsWith(Code.NOT_FOUND, () -> node().nodeExpandVolume(NodeExpandVolumeRequest.newBuilder()
                .setVolumeId(UNKNOWN_VOLUME).setVolumePath(targetPath("e").toString()).build()));
    }

    @Test
    void mountVolumeLifecycleIsIdempotentAndWritable() throws IOException {
        Volume volume = createMountable("life");
        Path staging = stagingPath("life");
        Path target = targetPath("life");
        NodeStageVolumeRequest stage = stage(volume, staging, WRITER);
        node().nodeStageVolume(stage);
        node().nodeStageVolume(stage);
        NodePublishVolumeRequest publish = publish(volume, staging, target, WRITER, false);
        node().nodePublishVolume(publish);
        node().nodePublishVolume(publish);

        Files.writeString(target.resolve("hello.txt"), "written through the published mount");
        NodeGetVolumeStatsResponse stats = node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(volume.getVolumeId()).setVolumePath(target.toString()).build());
        assertThat(stats.getUsageList()).extracting(VolumeUsage::getUnit).contains(VolumeUsage.Unit.BYTES);
        VolumeUsage bytes = stats.getUsageList().stream().filter(u -> u.getUnit() == VolumeUsage.Unit.BYTES)
                .findFirst().orElseThrow();
        assertThat(bytes.getTotal()).isPositive();
        assertThat(bytes.getUsed()).isPositive();
        assertThat(stats.getVolumeCondition().getAbnormal()).isFalse();

        NodeUnpublishVolumeRequest unpublish = NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId(volume.getVolumeId()).setTargetPath(target.toString()).build();
        node().nodeUnpublishVolume(unpublish);
        node().nodeUnpublishVolume(unpublish);
        assertThat(target).doesNotExist();

        // Staged again later, the data is still there: the volume was not reformatted.
        node().nodePublishVolume(publish);
        assertThat(target.resolve("hello.txt")).hasContent("written through the published mount");
        node().nodeUnpublishVolume(unpublish);

        NodeUnstageVolumeRequest unstage = NodeUnstageVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setStagingTargetPath(staging.toString()).build();
        node().nodeUnstageVolume(unstage);
        node().nodeUnstageVolume(unstage);
        node().nodeStageVolume(stage);
        node().nodePublishVolume(publish);
        assertThat(target.resolve("hello.txt")).hasContent("written through the published mount");
    }

    @Test
    void readOnlyPublishRefusesWrites() {
        Volume volume = createMountable("ro");
        Path staging = stagingPath("ro");
        Path target = targetPath("ro");
        node().nodeStageVolume(stage(volume, staging, WRITER));
        node().nodePublishVolume(publish(volume, staging, target, WRITER, true));
        try {
            Files.writeString(target.resolve("nope.txt"), "x");
            org.assertj.core.api.Assertions.fail("a read-only publish accepted a write");
        } catch (IOException expected) {
            assertThat(expected.getMessage()).containsIgnoringCase("read-only");
        }
    }

    @Test
    void publishingTheSameTargetReadOnlyAfterReadWriteIsAlreadyExists() {
        Volume volume = createMountable("incompatible");
        Path staging = stagingPath("incompatible");
        Path target = targetPath("incompatible");
        node().nodeStageVolume(stage(volume, staging, WRITER));
        node().nodePublishVolume(publish(volume, staging, target, WRITER, false));
        assertFailsWith(Code.ALREADY_EXISTS, () -> node().nodePublishVolume(publish(volume, staging, target, WRITER,
                true)));
    }

    @Test
    void blockVolumeIsPublishedAsADeviceFile() {
        VolumeCapability block = blockCapability(Mode.SINGLE_NODE_WRITER);
        Volume volume = create(createRequest(name("block"), target().mountableParameters(), target().mountableBytes())
                .clearVolumeCapabilities().addVolumeCapabilities(block).build());
        Path staging = stagingPath("block");
        Path target = targetPath("block");
        node().nodeStageVolume(stage(volume, staging, block));
        node().nodePublishVolume(publish(volume, staging, target, block, false));
        assertThat(target).exists();
        int mode;
        try {
            mode = (Integer) Files.getAttribute(target, "unix:mode");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(mode & 0170000).as("file type of the published target").isEqualTo(0060000);
        node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId())
                .setTargetPath(target.toString()).build());
        assertThat(target).doesNotExist();
    }

    // ---- malformed requests ------------------------------------------------------------------------------------

    /**
     * Malformed requests: each is refused with the code the specification names, and none changes anything on
     * disk (the target's disk state is the same before and after every one of them).
     */
    @TestFactory
    List<DynamicTest> malformedRequestsAreRefusedAndChangeNothingOnDisk() {
        Volume existing = createMountable("bad-input-fixture");
        String id = existing.getVolumeId();
        Path staging = stagingPath("bad");
        Path target = targetPath("bad");
        Path outside = Path.of("/tmp/open-local-outside-kubelet");
        Map<String, String> good = target().mountableParameters();
        long size = target().mountableBytes();
        List<BadRequest> bad = new ArrayList<>();
        String longName = "n".repeat(129);

        // CreateVolume: names, sizes, parameters, capabilities, sources, topology.
        bad.add(new BadRequest("create: empty name", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest("", good, size).build())));
        bad.add(new BadRequest("create: 129-byte name", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(longName, good, size).build())));
        bad.add(new BadRequest("create: 2000-byte name", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest("x".repeat(2000), good, size).build())));
        bad.add(new BadRequest("create: name with NUL", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest("bad\u0000name", good, size).build())));
        bad.add(new BadRequest("create: name with escape", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest("bad\u001bname", good, size).build())));
        bad.add(new BadRequest("create: name with DEL", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest("bad\u007fname", good, size).build())));
        bad.add(new BadRequest("create: negative required_bytes", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("neg"), good, -1).build())));
        bad.add(new BadRequest("create: negative limit_bytes", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("neglimit"), good, size).setCapacityRange(
                        CapacityRange.newBuilder().setRequiredBytes(size).setLimitBytes(-5)).build())));
        bad.add(new BadRequest("create: Long.MIN_VALUE size", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("min"), good, Long.MIN_VALUE).build())));
        bad.add(new BadRequest("create: limit below required", Code.OUT_OF_RANGE,
                () -> controller().createVolume(createRequest(name("limit"), good, size).setCapacityRange(
                        CapacityRange.newBuilder().setRequiredBytes(size).setLimitBytes(size - 1)).build())));
        bad.add(new BadRequest("create: no capabilities", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("nocap"), good, size).clearVolumeCapabilities()
                        .build())));
        bad.add(new BadRequest("create: capability without access type", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("noat"), good, size).clearVolumeCapabilities()
                        .addVolumeCapabilities(VolumeCapability.newBuilder().setAccessMode(
                                VolumeCapability.AccessMode.newBuilder().setMode(Mode.SINGLE_NODE_WRITER))).build())));
        bad.add(new BadRequest("create: capability without access mode", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("noam"), good, size).clearVolumeCapabilities()
                        .addVolumeCapabilities(VolumeCapability.newBuilder().setMount(
                                VolumeCapability.MountVolume.getDefaultInstance())).build())));
        for (Mode mode : List.of(Mode.MULTI_NODE_MULTI_WRITER, Mode.MULTI_NODE_READER_ONLY,
                Mode.MULTI_NODE_SINGLE_WRITER, Mode.UNKNOWN)) {
            bad.add(new BadRequest("create: access mode " + mode, Code.INVALID_ARGUMENT,
                    () -> controller().createVolume(createRequest(name("mode"), good, size).clearVolumeCapabilities()
                            .addVolumeCapabilities(mountCapability(mode)).build())));
        }
        bad.add(new BadRequest("create: unknown fs_type", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("fs"), good, size).clearVolumeCapabilities()
                        .addVolumeCapabilities(WRITER.toBuilder().setMount(VolumeCapability.MountVolume.newBuilder()
                                .setFsType("ntfs"))).build())));
        bad.add(new BadRequest("create: mount flag with a comma trick", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("flag"), good, size).clearVolumeCapabilities()
                        .addVolumeCapabilities(WRITER.toBuilder().setMount(VolumeCapability.MountVolume.newBuilder()
                                .addMountFlags("rw\nro"))).build())));
        bad.add(new BadRequest("create: 5 KiB of mount flags", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("flags"), good, size).clearVolumeCapabilities()
                        .addVolumeCapabilities(WRITER.toBuilder().setMount(VolumeCapability.MountVolume.newBuilder()
                                .addMountFlags("noatime,".repeat(700)))).build())));
        bad.add(new BadRequest("create: unknown parameter", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("param"), with(good, "colour", "blue"), size)
                        .build())));
        bad.add(new BadRequest("create: misspelt volumeType key", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("param2"), with(without(good, "volumeType"),
                        "volumetype", good.get("volumeType")), size).build())));
        bad.add(new BadRequest("create: no volumeType", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("notype"), without(good, "volumeType"), size)
                        .build())));
        bad.add(new BadRequest("create: volumeType in lower case", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("lower"), with(good, "volumeType", "lvm"), size)
                        .build())));
        bad.add(new BadRequest("create: volumeType Tape", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("tape"), with(good, "volumeType", "Tape"), size)
                        .build())));
        bad.add(new BadRequest("create: mediaType nvme", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("media"), with(good, "mediaType", "nvme"), size)
                        .build())));
        bad.add(new BadRequest("create: fstype btrfs parameter", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("btrfs"), with(good, "csi.storage.k8s.io/fstype",
                        "btrfs"), size).build())));
        bad.add(new BadRequest("create: iops not a number", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("iops"), with(good, "iops", "fast"), size).build())));
        bad.add(new BadRequest("create: iops negative", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("iops2"), with(good, "iops", "-10"), size).build())));
        bad.add(new BadRequest("create: bps malformed", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("bps"), with(good, "bps", "1Mo"), size).build())));
        bad.add(new BadRequest("create: vgName with a slash", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("vg"), with(target().expandableParameters(),
                        "vgName", "../etc"), size).build())));
        bad.add(new BadRequest("create: vgName with a leading dash", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("vg2"), with(target().expandableParameters(),
                        "vgName", "-rf"), size).build())));
        bad.add(new BadRequest("create: source snapshot id empty", Code.INVALID_ARGUMENT,
                () -> controller().createVolume(createRequest(name("src"), good, size).setVolumeContentSource(
                        VolumeContentSource.newBuilder().setSnapshot(VolumeContentSource.SnapshotSource
                                .getDefaultInstance())).build())));
        bad.add(new BadRequest("create: source volume unknown", Code.NOT_FOUND,
                () -> controller().createVolume(createRequest(name("src2"), good, size).setVolumeContentSource(
                        VolumeContentSource.newBuilder().setVolume(VolumeContentSource.VolumeSource.newBuilder()
                                .setVolumeId("ol1:vol:Device:nowhere:%2Fdev%2Fsdz:x"))).build())));
        bad.add(new BadRequest("create: requisite topology of an unknown node", Code.RESOURCE_EXHAUSTED,
                () -> controller().createVolume(createRequest(name("topo"), good, size).setAccessibilityRequirements(
                        TopologyRequirement.newBuilder().addRequisite(Topology.newBuilder().putSegments(
                                "kubernetes.io/hostname", "no-such-node"))).build())));

        // DeleteVolume, Validate, Expand, Get, List.
        bad.add(new BadRequest("delete: empty id", Code.INVALID_ARGUMENT,
                () -> controller().deleteVolume(DeleteVolumeRequest.getDefaultInstance())));
        bad.add(new BadRequest("validate: empty id", Code.INVALID_ARGUMENT,
                () -> controller().validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                        .addVolumeCapabilities(WRITER).build())));
        bad.add(new BadRequest("validate: capability without mode", Code.INVALID_ARGUMENT,
                () -> controller().validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                        .setVolumeId(id).addVolumeCapabilities(VolumeCapability.newBuilder().setMount(
                                VolumeCapability.MountVolume.getDefaultInstance())).build())));
        bad.add(new BadRequest("validate: forged id", Code.NOT_FOUND,
                () -> controller().validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                        .setVolumeId(id.replace(":vol:", ":vol:x")).addVolumeCapabilities(WRITER).build())));
        bad.add(new BadRequest("expand: negative size", Code.INVALID_ARGUMENT,
                () -> controller().controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id)
                        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(-1)).build())));
        bad.add(new BadRequest("expand: no range", Code.INVALID_ARGUMENT,
                () -> controller().controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id)
                        .build())));
        bad.add(new BadRequest("expand: limit below required", Code.OUT_OF_RANGE,
                () -> controller().controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id)
                        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(size * 4).setLimitBytes(size))
                        .build())));
        bad.add(new BadRequest("list volumes: negative max_entries", Code.INVALID_ARGUMENT,
                () -> controller().listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(-1).build())));
        bad.add(new BadRequest("list volumes: forged token", Code.ABORTED,
                () -> controller().listVolumes(ListVolumesRequest.newBuilder().setStartingToken("AAAA").build())));
        bad.add(new BadRequest("snapshot: 200-byte name", Code.INVALID_ARGUMENT,
                () -> controller().createSnapshot(CreateSnapshotRequest.newBuilder().setName("s".repeat(200))
                        .setSourceVolumeId(id).build())));
        bad.add(new BadRequest("snapshot: unknown parameter", Code.INVALID_ARGUMENT,
                () -> controller().createSnapshot(CreateSnapshotRequest.newBuilder().setName(name("snapbad"))
                        .setSourceVolumeId(id).putParameters("retention", "forever").build())));
        bad.add(new BadRequest("snapshot: readonly not a boolean", Code.INVALID_ARGUMENT,
                () -> controller().createSnapshot(CreateSnapshotRequest.newBuilder().setName(name("snapbad2"))
                        .setSourceVolumeId(id).putParameters("csi.aliyun.com/readonly", "yes").build())));
        bad.add(new BadRequest("snapshot: initial size malformed", Code.INVALID_ARGUMENT,
                () -> controller().createSnapshot(CreateSnapshotRequest.newBuilder().setName(name("snapbad3"))
                        .setSourceVolumeId(id).putParameters("csi.aliyun.com/snapshot-initial-size", "4 gigs")
                        .build())));
        bad.add(new BadRequest("list snapshots: negative max_entries", Code.INVALID_ARGUMENT,
                () -> controller().listSnapshots(ListSnapshotsRequest.newBuilder().setMaxEntries(-3).build())));

        // Node: paths outside the kubelet directory, traversal, wrong modes, missing fields.
        bad.add(new BadRequest("stage: staging path outside kubelet dir", Code.INVALID_ARGUMENT,
                () -> node().nodeStageVolume(stage(existing, outside, WRITER))));
        bad.add(new BadRequest("stage: staging path with ..", Code.INVALID_ARGUMENT,
                () -> node().nodeStageVolume(stage(existing, Path.of(staging + "/../../../../../../etc"), WRITER))));
        bad.add(new BadRequest("stage: relative staging path", Code.INVALID_ARGUMENT,
                () -> node().nodeStageVolume(stage(existing, Path.of("relative/globalmount"), WRITER))));
        bad.add(new BadRequest("stage: the kubelet dir itself", Code.INVALID_ARGUMENT,
                () -> node().nodeStageVolume(stage(existing, target().kubeletDir(), WRITER))));
        bad.add(new BadRequest("stage: multi-node mode", Code.INVALID_ARGUMENT,
                () -> node().nodeStageVolume(stage(existing, staging, mountCapability(Mode.MULTI_NODE_MULTI_WRITER)))));
        bad.add(new BadRequest("stage: unknown fs_type", Code.INVALID_ARGUMENT,
                () -> node().nodeStageVolume(stage(existing, staging, WRITER.toBuilder().setMount(
                        VolumeCapability.MountVolume.newBuilder().setFsType("vfat")).build()))));
        bad.add(new BadRequest("stage: mount flag injecting an option", Code.INVALID_ARGUMENT,
                () -> node().nodeStageVolume(stage(existing, staging, WRITER.toBuilder().setMount(
                        VolumeCapability.MountVolume.newBuilder().addMountFlags("--bind")).build()))));
        bad.add(new BadRequest("stage: volume of another node", Code.NOT_FOUND,
                () -> node().nodeStageVolume(stage(existing, staging, WRITER).toBuilder()
                        .setVolumeId("ol1:vol:Device:other-node:%2Fdev%2Fsdz:pvc-1").build())));
        bad.add(new BadRequest("publish: target outside kubelet dir", Code.INVALID_ARGUMENT,
                () -> node().nodePublishVolume(publish(existing, staging, outside, WRITER, false))));
        bad.add(new BadRequest("publish: target /etc/passwd", Code.INVALID_ARGUMENT,
                () -> node().nodePublishVolume(publish(existing, staging, Path.of("/etc/passwd"), WRITER, false))));
        bad.add(new BadRequest("publish: staging outside kubelet dir", Code.INVALID_ARGUMENT,
                () -> node().nodePublishVolume(publish(existing, outside, target, WRITER, false))));
        bad.add(new BadRequest("publish: no staging path", Code.INVALID_ARGUMENT,
                () -> node().nodePublishVolume(publish(existing, staging, target, WRITER, false).toBuilder()
                        .clearStagingTargetPath().build())));
        bad.add(new BadRequest("publish: multi-node mode", Code.INVALID_ARGUMENT,
                () -> node().nodePublishVolume(publish(existing, staging, target,
                        mountCapability(Mode.MULTI_NODE_SINGLE_WRITER), false))));
        bad.add(new BadRequest("unpublish: target outside kubelet dir", Code.INVALID_ARGUMENT,
                () -> node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId(id)
                        .setTargetPath("/").build())));
        bad.add(new BadRequest("unpublish: target with newline", Code.INVALID_ARGUMENT,
                () -> node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId(id)
                        .setTargetPath(target + "\n/etc").build())));
        bad.add(new BadRequest("unstage: staging outside kubelet dir", Code.INVALID_ARGUMENT,
                () -> node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder().setVolumeId(id)
                        .setStagingTargetPath("/proc").build())));
        bad.add(new BadRequest("stats: path outside kubelet dir", Code.NOT_FOUND,
                () -> node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder().setVolumeId(id)
                        .setVolumePath("/etc").build())));
        bad.add(new BadRequest("node expand: path outside kubelet dir", Code.INVALID_ARGUMENT,
                () -> node().nodeExpandVolume(NodeExpandVolumeRequest.newBuilder().setVolumeId(id)
                        .setVolumePath("/var").build())));
        bad.add(new BadRequest("node expand: negative size", Code.INVALID_ARGUMENT,
                () -> node().nodeExpandVolume(NodeExpandVolumeRequest.newBuilder().setVolumeId(id)
                        .setVolumePath(target.toString()).setCapacityRange(CapacityRange.newBuilder()
                                .setRequiredBytes(-1)).build())));

        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("at least 50 malformed requests", () -> assertThat(bad).hasSizeGreaterThanOrEqualTo(50)));
        for (BadRequest request : bad) {
            tests.add(DynamicTest.dynamicTest(request.description(), () -> {
                String before = target().diskState();
                Code code = GrpcCodes.codeOf(request.call());
                String after = target().diskState();
                assertThat(code).as(request.description()).isEqualTo(request.expected());
                assertThat(after).as("disk state after " + request.description()).isEqualTo(before);
            }));
        }
        return tests;
    }

    /** One malformed request and the code the specification names for it. */
    protected record BadRequest(String description, Code expected, Runnable call) {
    }

    protected static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    protected static Map<String, String> without(Map<String, String> base, String key) {
        Map<String, String> copy = new HashMap<>(base);
        copy.remove(key);
        return copy;
    }
}

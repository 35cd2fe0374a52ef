package io.openlocal.csi.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.backend.volume.Volume;
import io.openlocal.backend.volume.VolumeRef;
import io.openlocal.csi.CsiSettings;
import io.openlocal.csi.Requests;
import io.openlocal.csi.claim.ClaimRef;
import io.openlocal.csi.claim.ProvisioningFailure;
import io.openlocal.csi.claim.Refusal;
import io.openlocal.csi.nodeapi.NodeDirectory;
import io.openlocal.csi.nodeapi.NodeStatus;
import io.openlocal.csi.nodeapi.NodeStorage;
import io.openlocal.csi.nodeapi.OutOfRange;
import io.openlocal.csi.nodeapi.ProvisionRequest;
import io.openlocal.csi.nodeapi.ProvisionedVolume;
import io.openlocal.csi.nodeapi.SnapshotRecord;
import io.openlocal.csi.nodeapi.SnapshotRequest;
import io.openlocal.csi.nodeapi.VolumeLookup;
import io.openlocal.csi.v1.CapacityRange;
import io.openlocal.csi.v1.CreateVolumeRequest;
import io.openlocal.csi.v1.CreateVolumeResponse;
import io.openlocal.csi.volume.VolumeLocks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Which CreateVolume failures the controller reports for the claim (and so become Events in cluster mode), and
 * that the claim's metadata the provisioner passes is accepted but never recorded with the volume. The node is a
 * test double answering with the errors a real node API returns (the real one is in ClaimEventsTest).
 */
class ProvisioningFailureReportTest {

    private static final String NODE = "node-a";
    private static final Map<String, String> CLAIM = Map.of(ClaimRef.PVC_NAME, "data-0",
            ClaimRef.PVC_NAMESPACE, "shop", ClaimRef.PV_NAME, "local-6c1b");

    private final List<ProvisioningFailure> reported = new CopyOnWriteArrayList<>();
    private final List<ProvisionRequest> asked = new CopyOnWriteArrayList<>();
    private final VolumeLocks locks = new VolumeLocks();

    /** The node API of one node; {@code answer} decides what provisioning does. */
    private final class Node implements NodeStorage {
        private final Function<ProvisionRequest, ProvisionedVolume> answer;

        Node(Function<ProvisionRequest, ProvisionedVolume> answer) {
            this.answer = answer;
        }

        @Override public String nodeName() { return NODE; }
        @Override public NodeStatus status() { return new NodeStatus(NODE, List.of()); }
        @Override public List<PoolInfo> pools(Optional<PoolType> type) { return List.of(); }

        @Override
        public ProvisionedVolume provision(ProvisionRequest request) {
            asked.add(request);
            return answer.apply(request);
        }

        @Override public Optional<VolumeLookup> volume(VolumeRef ref) { return Optional.empty(); }
        @Override public List<ProvisionedVolume> volumes() { return List.of(); }
        @Override public ProvisionedVolume expand(VolumeRef ref, long newSizeBytes) { throw new UnsupportedOperationException(); }
        @Override public void delete(VolumeRef ref) { }
        @Override public SnapshotRecord snapshot(SnapshotRequest request) { throw new UnsupportedOperationException(); }
        @Override public void deleteSnapshot(VolumeRef ref) { }
        @Override public List<SnapshotRecord> snapshots() { return List.of(); }
    }

    private ControllerService controller(Function<ProvisionRequest, ProvisionedVolume> answer) {
        CsiSettings settings = new CsiSettings("local.csi.aliyun.com", "test", "open-local-csi-controller",
                "kubernetes.io/hostname", Path.of("/var/lib/kubelet"), 0, 1L << 30);
        return new ControllerService(settings, NodeDirectory.of(List.of(new Node(answer)), Optional.empty()), locks,
                ControllerService.allFeatures(), reported::add);
    }

    private static CreateVolumeRequest request(String name, String node, Map<String, String> parameters) {
        return CreateVolumeRequest.newBuilder().setName(name).putAllParameters(parameters)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(256L << 20))
                .addVolumeCapabilities(Requests.MOUNT_EXT4)
                .setAccessibilityRequirements(Requests.onNode(node))
                .build();
    }

    private static Map<String, String> lvm(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(Map.of("volumeType", "LVM", "vgName", "pool-0"));
        all.putAll(more);
        return all;
    }

    /** Runs CreateVolume and returns its status code. */
    private static Status.Code create(ControllerService controller, CreateVolumeRequest request) {
        List<Throwable> errors = new ArrayList<>();
        List<CreateVolumeResponse> answers = new ArrayList<>();
        controller.createVolume(request, new StreamObserver<>() {
            @Override public void onNext(CreateVolumeResponse value) { answers.add(value); }
            @Override public void onError(Throwable t) { errors.add(t); }
            @Override public void onCompleted() { }
        });
        if (errors.isEmpty()) {
            assertThat(answers).hasSize(1);
            return Status.Code.OK;
        }
        return ((StatusRuntimeException) errors.getFirst()).getStatus().getCode();
    }

    private static ProvisionedVolume made(ProvisionRequest request) {
        return new ProvisionedVolume(request.csiName(), new Volume(new VolumeRef(PoolType.LVM, "pool-0",
                "local-6c1b"), request.requiredBytes(), Optional.of("/dev/pool-0/local-6c1b"), true, Map.of()),
                request.parameters(), Optional.empty(), 1L);
    }

    @Test
    void noRoomOnTheNodeIsReportedWithTheClaimTheNodeAndTheRequest() {
        ControllerService controller = controller(r -> {
            throw new StorageException.OutOfCapacity("pool pool-0 on node node-a has 64.0 MiB free, 256.0 MiB needed");
        });
        assertThat(create(controller, request("local-6c1b", NODE, lvm(CLAIM)))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        assertThat(reported).singleElement().isInstanceOfSatisfying(ProvisioningFailure.Refused.class, f -> {
            assertThat(f.claim()).isEqualTo(new ClaimRef("shop", "data-0"));
            assertThat(f.node()).isEqualTo(NODE);
            assertThat(f.refusal()).isEqualTo(Refusal.NO_CAPACITY);
            assertThat(f.request().pool()).contains("pool-0");
            assertThat(f.request().requiredBytes()).isEqualTo(256L << 20);
            assertThat(f.message()).contains("64.0 MiB free");
        });
    }

    @Test
    void outOfRangeAndAMissingPoolAreReportedToo() {
        ControllerService range = controller(r -> { throw new OutOfRange("capacity_range: above limit_bytes"); });
        assertThat(create(range, request("v1", NODE, lvm(CLAIM)))).isEqualTo(Status.Code.OUT_OF_RANGE);
        ControllerService missing = controller(r -> {
            throw new StorageException.InvalidArgument("vgName: LVM pool 'pool-0' does not exist on node node-a");
        });
        assertThat(create(missing, request("v2", NODE, lvm(CLAIM)))).isEqualTo(Status.Code.INVALID_ARGUMENT);

        assertThat(reported).extracting(f -> ((ProvisioningFailure.Refused) f).refusal())
                .containsExactly(Refusal.OUT_OF_RANGE, Refusal.INVALID_ARGUMENT);
    }

    @Test
    void transientFailuresAreNotReported() {
        for (RuntimeException error : List.of(new StorageException.Unavailable("node API of node-a failed"),
                new StorageException.Busy("device in use"), new StorageException.Internal("lvcreate crashed"),
                new StorageException.AlreadyExists("name taken"), new IllegalStateException("bug"))) {
            ControllerService controller = controller(r -> { throw error; });
            assertThat(create(controller, request("v-" + error.getClass().getSimpleName().toLowerCase(), NODE,
                    lvm(CLAIM)))).isNotEqualTo(Status.Code.OK);
        }
        assertThat(asked).hasSize(5);
        assertThat(reported).isEmpty();
    }

    @Test
    void aVolumeBeingWorkedOnAnswersAbortedAndIsNotReported() {
        ControllerService controller = controller(r -> { throw new StorageException.OutOfCapacity("full"); });
        try (VolumeLocks.Held held = locks.acquire("csi-volume:v-busy", "volume 'v-busy'")) {
            assertThat(create(controller, request("v-busy", NODE, lvm(CLAIM)))).isEqualTo(Status.Code.ABORTED);
        }
        assertThat(asked).isEmpty();
        assertThat(reported).isEmpty();
    }

    @Test
    void aNodeThisControllerDoesNotKnowIsNotReportedAsNoSpace() {
        ControllerService controller = controller(r -> { throw new StorageException.OutOfCapacity("full"); });
        // RESOURCE_EXHAUSTED as the CSI spec asks for an unusable topology, but no pool was ever asked.
        assertThat(create(controller, request("v-elsewhere", "node-z", lvm(CLAIM))))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(reported).isEmpty();
    }

    @Test
    void aBadStorageClassParameterIsReportedNamingIt() {
        ControllerService controller = controller(ProvisioningFailureReportTest::made);
        Map<String, String> parameters = new HashMap<>(CLAIM);
        parameters.put("volumeType", "lvm");
        assertThat(create(controller, request("v-bad", NODE, parameters))).isEqualTo(Status.Code.INVALID_ARGUMENT);

        assertThat(asked).isEmpty();
        assertThat(reported).singleElement().isInstanceOfSatisfying(ProvisioningFailure.BadParameter.class, f -> {
            assertThat(f.claim()).isEqualTo(new ClaimRef("shop", "data-0"));
            assertThat(f.problem()).contains("'volumeType'").contains("'lvm'");
        });
    }

    @Test
    void withoutTheClaimsMetadataNothingIsReported() {
        ControllerService controller = controller(r -> { throw new StorageException.OutOfCapacity("full"); });
        assertThat(create(controller, request("v-anon", NODE, lvm(Map.of())))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        Map<String, String> notAName = new HashMap<>(CLAIM);
        notAName.put(ClaimRef.PVC_NAME, "../../nodes/x");
        assertThat(create(controller, request("v-odd", NODE, lvm(notAName)))).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(reported).isEmpty();
    }

    @Test
    void theClaimsMetadataIsAcceptedButNotRecordedWithTheVolume() {
        ControllerService controller = controller(ProvisioningFailureReportTest::made);
        assertThat(create(controller, request("local-6c1b", NODE, lvm(CLAIM)))).isEqualTo(Status.Code.OK);

        assertThat(reported).isEmpty();
        // The fingerprint a retry is compared against: the same claim under another name must still match.
        assertThat(asked).singleElement().satisfies(r -> {
            assertThat(r.parameters()).containsEntry("volumeType", "LVM").containsEntry("vgName", "pool-0");
            assertThat(r.parameters().keySet()).noneMatch(k -> k.startsWith("csi.storage.k8s.io/"));
            assertThat(r.backendParameters().keySet()).noneMatch(k -> k.startsWith("csi.storage.k8s.io/"));
        });
    }
}

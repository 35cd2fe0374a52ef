package io.openlocal.csi.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.openlocal.backend.error.StorageException;
import io.openlocal.backend.naming.Sizes;
import io.openlocal.backend.pool.Capacity;
import io.openlocal.backend.pool.MediaType;
import io.openlocal.backend.pool.PoolInfo;
import io.openlocal.backend.pool.PoolType;
import io.openlocal.csi.nodeapi.OutOfRange;
import io.openlocal.csi.nodeapi.ProvisionRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reason and message of the Event a claim gets for each kind of provisioning failure. */
class FailureDiagnosisTest {

    private static final ClaimRef CLAIM = new ClaimRef("shop", "data-0");
    private static final long GIB = Sizes.GiB;

    private static PoolInfo vg(String name, long total, long free, boolean readOnly) {
        return new PoolInfo(name, PoolType.LVM, Capacity.of(total, free), List.of("/dev/vdb"), null, readOnly,
                false, Map.of());
    }

    private static PoolInfo device(String path, long size, MediaType media, boolean inUse) {
        return new PoolInfo(path, PoolType.DEVICE, Capacity.of(size, inUse ? 0 : size), List.of(path), media, false,
                inUse, Map.of());
    }

    private static ProvisionRequest lvm(Optional<String> vgName, long required) {
        return new ProvisionRequest("local-1", PoolType.LVM, required, 0, vgName, Optional.empty(), Map.of(),
                Map.of(), Optional.empty());
    }

    private static ProvisionRequest device(Optional<MediaType> media, long required, long limit) {
        return new ProvisionRequest("local-2", PoolType.DEVICE, required, limit, Optional.empty(), media, Map.of(),
                Map.of(), Optional.empty());
    }

    private static ProvisioningFailure.Refused refused(ProvisionRequest request, Refusal refusal, String message) {
        return new ProvisioningFailure.Refused(CLAIM, "node-a", request, refusal, message);
    }

    private static ClaimEvent explain(ProvisioningFailure failure, List<PoolInfo> pools) {
        return FailureDiagnosis.explain(failure, Optional.of(pools)).orElseThrow();
    }

    @Test
    void theNamedVgWithTooLittleFreeIsNoSpaceNamingNodePoolRequestedAndFreeBytes() {
        ClaimEvent event = explain(refused(lvm(Optional.of("pool-0"), 2 * GIB), Refusal.NO_CAPACITY, "full"),
                List.of(vg("pool-0", 4 * GIB, GIB, false), vg("pool-1", 8 * GIB, 8 * GIB, false)));
        assertThat(event.reason()).isEqualTo(ClaimEventReason.NO_SPACE);
        assertThat(event.reason().wireName()).isEqualTo("ProvisioningFailedNoSpace");
        assertThat(event.message()).isEqualTo("LVM pool pool-0 on node node-a has 1073741824 bytes (1.0 GiB) free,"
                + " the claim requests 2147483648 bytes (2.0 GiB)");
    }

    @Test
    void aReadOnlyVgSaysSo() {
        ClaimEvent event = explain(refused(lvm(Optional.of("pool-0"), GIB), Refusal.NO_CAPACITY, "full"),
                List.of(vg("pool-0", 4 * GIB, 2 * GIB, true)));
        assertThat(event.message()).contains("is read-only");
    }

    @Test
    void withoutAVgNameTheMostFreeWritablePoolIsNamed() {
        ClaimEvent event = explain(refused(lvm(Optional.empty(), 10 * GIB), Refusal.NO_CAPACITY, "full"),
                List.of(vg("pool-0", 4 * GIB, GIB, false), vg("pool-1", 8 * GIB, 3 * GIB, false),
                        vg("pool-2", 9 * GIB, 9 * GIB, true)));
        assertThat(event.reason()).isEqualTo(ClaimEventReason.NO_SPACE);
        assertThat(event.message()).isEqualTo("no LVM pool on node node-a has 10737418240 bytes (10.0 GiB) free for"
                + " the claim; the most is 3221225472 bytes (3.0 GiB) in pool pool-1");
    }

    @Test
    void aVgNameThatIsNotOnTheNodeIsNoPoolListingThePoolsThere() {
        ClaimEvent event = explain(refused(lvm(Optional.of("fast"), GIB), Refusal.INVALID_ARGUMENT,
                "vgName: LVM pool 'fast' does not exist on node node-a"),
                List.of(vg("pool-1", GIB, GIB, false), vg("pool-0", GIB, GIB, false),
                        device("/dev/vdc", GIB, MediaType.SSD, false)));
        assertThat(event.reason()).isEqualTo(ClaimEventReason.NO_POOL);
        assertThat(event.reason().wireName()).isEqualTo("ProvisioningFailedNoPool");
        assertThat(event.message()).isEqualTo("LVM pool fast (StorageClass parameter vgName) does not exist on node"
                + " node-a; LVM pools there: pool-0, pool-1");
    }

    @Test
    void aNodeWithoutAnyPoolOfTheTypeIsNoPool() {
        for (Refusal refusal : List.of(Refusal.NO_CAPACITY, Refusal.INVALID_ARGUMENT)) {
            ClaimEvent event = explain(refused(lvm(Optional.empty(), GIB), refusal, "none"),
                    List.of(device("/dev/vdc", GIB, MediaType.SSD, false)));
            assertThat(event.reason()).as("%s", refusal).isEqualTo(ClaimEventReason.NO_POOL);
            assertThat(event.message()).startsWith("node node-a has no LVM pool");
        }
    }

    @Test
    void anInvalidArgumentWhileTheNamedPoolExistsIsNotExplainedAsAPoolProblem() {
        assertThat(FailureDiagnosis.explain(refused(lvm(Optional.of("pool-0"), GIB), Refusal.INVALID_ARGUMENT,
                "something else"), Optional.of(List.of(vg("pool-0", GIB, GIB, false))))).isEmpty();
    }

    @Test
    void noFreeDeviceOfTheMediaIsNoDeviceListingTheFreeOnesOfThatMedia() {
        ClaimEvent event = explain(refused(device(Optional.of(MediaType.SSD), 100 * GIB, 0), Refusal.NO_CAPACITY,
                "none"), List.of(device("/dev/vdb", 20 * GIB, MediaType.SSD, false),
                device("/dev/vdc", 50 * GIB, MediaType.SSD, false), device("/dev/vdd", 200 * GIB, MediaType.SSD, true),
                device("/dev/vde", 500 * GIB, MediaType.HDD, false)));
        assertThat(event.reason()).isEqualTo(ClaimEventReason.NO_DEVICE);
        assertThat(event.reason().wireName()).isEqualTo("ProvisioningFailedNoDevice");
        assertThat(event.message()).isEqualTo("no free ssd Device with at least 107374182400 bytes (100.0 GiB) on"
                + " node node-a; free ssd Devices there: /dev/vdc with 53687091200 bytes (50.0 GiB), /dev/vdb with"
                + " 21474836480 bytes (20.0 GiB)");
    }

    @Test
    void devicesThatFitOnlyAboveTheLimitAreNoDeviceWithTheLimit() {
        ClaimEvent event = explain(refused(device(Optional.empty(), GIB, 2 * GIB), Refusal.OUT_OF_RANGE, "range"),
                List.of(device("/dev/vdb", 20 * GIB, MediaType.HDD, false)));
        assertThat(event.reason()).isEqualTo(ClaimEventReason.NO_DEVICE);
        assertThat(event.message()).startsWith("no free Device with at least 1073741824 bytes (1.0 GiB) and at most"
                + " 2147483648 bytes (2.0 GiB) on node node-a; free Devices there: /dev/vdb with");
    }

    @Test
    void noDeviceAtAllSaysNoneIsFree() {
        ClaimEvent event = explain(refused(device(Optional.of(MediaType.HDD), GIB, 0), Refusal.NO_CAPACITY, "none"),
                List.of(device("/dev/vdb", 20 * GIB, MediaType.HDD, true)));
        assertThat(event.message()).endsWith("; no hdd Device there is free (1 in all)");
    }

    @Test
    void aSizeAboveTheClaimsLimitAfterRoundingIsCapacityRangeInTheNodesWords() {
        ClaimEvent event = explain(refused(lvm(Optional.of("pool-0"), 1000), Refusal.OUT_OF_RANGE,
                "capacity_range: pool pool-0 allocates in units that make 1000 bytes into 4194304 bytes, above"
                        + " limit_bytes 2000"), List.of(vg("pool-0", GIB, GIB, false)));
        assertThat(event.reason()).isEqualTo(ClaimEventReason.CAPACITY_RANGE);
        assertThat(event.reason().wireName()).isEqualTo("ProvisioningFailedCapacityRange");
        assertThat(event.message()).isEqualTo("node node-a: capacity_range: pool pool-0 allocates in units that make"
                + " 1000 bytes into 4194304 bytes, above limit_bytes 2000");
    }

    @Test
    void withoutTheNodesPoolsTheNodesOwnMessageIsUsed() {
        ProvisioningFailure full = refused(lvm(Optional.of("pool-0"), GIB), Refusal.NO_CAPACITY,
                "pool pool-0 on node node-a has 1.0 MiB free, 1.0 GiB needed");
        assertThat(FailureDiagnosis.explain(full, Optional.empty())).contains(new ClaimEvent(
                ClaimEventReason.NO_SPACE, "node node-a: pool pool-0 on node node-a has 1.0 MiB free, 1.0 GiB needed"));
        assertThat(FailureDiagnosis.explain(refused(device(Optional.empty(), GIB, 0), Refusal.OUT_OF_RANGE, "r"),
                Optional.empty()).orElseThrow().reason()).isEqualTo(ClaimEventReason.NO_DEVICE);
        // A missing pool cannot be told from other INVALID_ARGUMENTs without the pools: no event rather than a guess.
        assertThat(FailureDiagnosis.explain(refused(lvm(Optional.of("x"), GIB), Refusal.INVALID_ARGUMENT, "x"),
                Optional.empty())).isEmpty();
    }

    @Test
    void aBadParameterIsInvalidStorageClassParameterWithTheProblem() {
        assertThat(FailureDiagnosis.explain(new ProvisioningFailure.BadParameter(CLAIM,
                "StorageClass parameter 'mediaType' 'nvme' is not hdd or ssd (case-sensitive)"), Optional.empty()))
                .contains(new ClaimEvent(ClaimEventReason.INVALID_PARAMETER,
                        "StorageClass parameter 'mediaType' 'nvme' is not hdd or ssd (case-sensitive)"));
        assertThat(ClaimEventReason.INVALID_PARAMETER.wireName()).isEqualTo("InvalidStorageClassParameter");
    }

    @Test
    void onlyRefusalsAUserCanActOnAreRefusals() {
        assertThat(Refusal.of(new StorageException.OutOfCapacity("x"))).contains(Refusal.NO_CAPACITY);
        assertThat(Refusal.of(new OutOfRange("x"))).contains(Refusal.OUT_OF_RANGE);
        assertThat(Refusal.of(new StorageException.InvalidArgument("x"))).contains(Refusal.INVALID_ARGUMENT);
        for (RuntimeException other : List.of(new StorageException.Unavailable("x"), new StorageException.Busy("x"),
                new StorageException.Internal("x"), new StorageException.NotFound("x"),
                new StorageException.AlreadyExists("x"), new StorageException.Unsupported("x"),
                new IllegalStateException("x"))) {
            assertThat(Refusal.of(other)).as("%s", other).isEmpty();
        }
    }
}
